/**
 * `EventHandler`: the chat engine. Every action of the original package's protocol is a method
 * here (message and room actions come from the classes it extends), plus pending notifications.
 * Subclass it and name the subclass in `eventHandlerClass` to change any action's logic.
 */
import type { AbstractChatNotification } from '../entities/chat-notification.js';
import type { AbstractUser } from '../entities/user.js';
import type { Representation } from '../serializers/model-serializer.js';
import { model } from '../swappable/registry.js';
import type { ActionResult } from './events.js';
import type { Transaction } from './action-base.js';
import { RoomActions } from './room-actions.js';

export class EventHandler extends RoomActions {
  /**
   * Runs a custom action the way the package runs its own: in one transaction, its room events
   * numbered and logged with the writes. Publish the returned outcome to deliver it.
   */
  perform<R extends ActionResult>(work: (tx: Transaction) => Promise<R>): Promise<R> {
    return this.inTransaction(work);
  }

  /** The user's pending notifications, grouped by room id (what `chat.notifications` carries on connect). */
  async pendingNotifications(user: AbstractUser): Promise<ActionResult<Record<string, Representation[]>>> {
    return this.reading(async em => {
      const notifications = (await em.find(model('ChatNotification'), { recipients: user.id } as never, {
        populate: ['message'] as never,
      })) as AbstractChatNotification[];
      notifications.sort((a, b) => a.message.createdAt.getTime() - b.message.createdAt.getTime() || (a.id < b.id ? -1 : 1));
      const shown = await this.serializer('ChatNotificationSerializer', em, user).serializeMany(notifications);
      const grouped: Record<string, Representation[]> = {};
      notifications.forEach((notification, i) => (grouped[notification.message.room.id] ??= []).push(shown[i]!));
      return { result: grouped, events: [], groups: [] };
    });
  }
}
