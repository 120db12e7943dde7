/** The user's pending notifications on connect (`chat.notifications`), bounded per room. */
import type { AbstractChatNotification } from '../../entities/chat-notification.js';
import { roomIdsOf } from '../../permissions/membership.js';
import type { Representation } from '../../serializers/model-serializer.js';
import { representationSql } from '../../serializers/representation-sql.js';
import { model } from '../../swappable/registry.js';
import type { EngineContext } from '../context.js';
import type { ActionResult } from '../events.js';
import { NOTIFICATION_ROWS, NOTIFICATIONS_PER_ROOM, pendingNotificationsByRoom } from '../pending-notifications.js';

/**
 * The user's pending notifications, grouped by room id: the latest `NOTIFICATIONS_PER_ROOM` of
 * each room the user is still in, oldest first. One statement, unless the configured serializer
 * has a getter of its own.
 */
export async function pendingNotifications(ctx: EngineContext): Promise<ActionResult<Record<string, Representation[]>>> {
  const { em, settings, user } = ctx;
  const shown = representationSql(em, settings, settings.serializers.ChatNotificationSerializer, model('ChatNotification'), NOTIFICATION_ROWS);
  if (shown) return { result: await pendingNotificationsByRoom(em, shown, user.id), events: [], groups: [] };
  // A serializer with a getter of its own: the same notifications, shown from entities.
  const rooms = await roomIdsOf(em, user.id);
  const notifications = await em.find(model('ChatNotification'), { recipients: user.id, message: { isDeleted: false, room: { $in: rooms } } }, { populate: ['message'] });
  notifications.sort((a, b) => a.message.createdAt.getTime() - b.message.createdAt.getTime() || (a.id < b.id ? -1 : 1));
  const byRoom = new Map<string, AbstractChatNotification[]>();
  for (const notification of notifications) byRoom.set(notification.message.room.id, [...(byRoom.get(notification.message.room.id) ?? []), notification]);
  const serializer = ctx.serializer('ChatNotificationSerializer');
  const grouped: Record<string, Representation[]> = {};
  for (const roomId of [...byRoom.keys()].sort()) grouped[roomId] = await serializer.serializeMany(byRoom.get(roomId)!.slice(-NOTIFICATIONS_PER_ROOM));
  return { result: grouped, events: [], groups: [] };
}
