/**
 * `EventHandler`: the chat engine. Every action of the original package's protocol is a method
 * here (message and room actions come from the classes it extends), plus pending notifications.
 * Subclass it and name the subclass in `eventHandlerClass` to change any action's logic.
 */
import type { AbstractChatNotification } from '../entities/chat-notification.js';
import type { AbstractMessage } from '../entities/message.js';
import { Room } from '../entities/room.js';
import type { LogRefIds, ShownRefs } from './log-refs.js';
import { NOTIFICATIONS_PER_ROOM, pendingNotificationsByRoom } from './pending-notifications.js';
import { representationSql } from '../serializers/representation-sql.js';
import type { AbstractUser } from '../entities/user.js';
import type { Representation } from '../serializers/model-serializer.js';
import { roomIdsOf } from '../permissions/membership.js';
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

  /**
   * Shows the messages and rooms the room event log refers to, as they are now (what a replayed
   * event carries). A deleted message, or a room that is gone, is left out: its events are not replayed.
   */
  async renderLogged(ids: LogRefIds): Promise<ShownRefs> {
    return this.reading(async em => {
      const messages = ids.messages.length === 0 ? [] : ((await em.find(model('Message'), { id: { $in: ids.messages }, isDeleted: false } as never)) as AbstractMessage[]);
      const rooms = ids.rooms.length === 0 ? [] : await em.find(Room, { id: { $in: ids.rooms } });
      const shownMessages = await this.showMessages(em, messages);
      const shownRooms: Representation[] = [];
      for (const room of rooms) shownRooms.push(await this.showRoom(em, room));
      return {
        messages: new Map(messages.map((message, i) => [message.id, shownMessages[i]])),
        rooms: new Map(rooms.map((room, i) => [room.id, shownRooms[i]])),
      };
    });
  }

  /**
   * The user's pending notifications, grouped by room id (what `chat.notifications` carries on
   * connect): the latest `NOTIFICATIONS_PER_ROOM` of each room the user is still in, oldest first.
   */
  async pendingNotifications(user: AbstractUser): Promise<ActionResult<Record<string, Representation[]>>> {
    return this.reading(async em => {
      const shownSql = representationSql(em, this.settings, this.settings.serializers.ChatNotificationSerializer, model('ChatNotification'), 'n');
      if (shownSql) return { result: await pendingNotificationsByRoom(em, shownSql, user.id), events: [], groups: [] };
      // A serializer with a getter of its own: the same notifications, shown from entities.
      const rooms = await roomIdsOf(em, user.id);
      const notifications = (await em.find(model('ChatNotification'), { recipients: user.id, message: { isDeleted: false, room: { $in: rooms } } } as never, {
        populate: ['message'] as never,
      })) as AbstractChatNotification[];
      notifications.sort((a, b) => a.message.createdAt.getTime() - b.message.createdAt.getTime() || (a.id < b.id ? -1 : 1));
      const byRoom = new Map<string, AbstractChatNotification[]>();
      for (const notification of notifications) byRoom.set(notification.message.room.id, [...(byRoom.get(notification.message.room.id) ?? []), notification]);
      const serializer = this.serializer('ChatNotificationSerializer', em, user);
      const grouped: Record<string, Representation[]> = {};
      for (const roomId of [...byRoom.keys()].sort()) grouped[roomId] = await serializer.serializeMany(byRoom.get(roomId)!.slice(-NOTIFICATIONS_PER_ROOM));
      return { result: grouped, events: [], groups: [] };
    });
  }
}
