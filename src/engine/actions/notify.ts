/** Notifying a room's members of a message: the stored notification, and the push provider after commit. */
import type { NotificationType } from '../../entities/media-types.js';
import type { AbstractMessage } from '../../entities/message.js';
import type { Room } from '../../entities/room.js';
import { memberIds } from '../../permissions/membership.js';
import type { Representation } from '../../serializers/model-serializer.js';
import type { TransactionContext } from '../context.js';
import { createNotification } from '../notifications.js';

/**
 * Stores a notification for the room's members but the acting user, and hands it to the provider
 * after commit with the message as `show` presents it (shared with the action's own result).
 */
export async function notifyMembers(tx: TransactionContext, room: Room, message: AbstractMessage, type: NotificationType, show: () => Promise<Representation>): Promise<void> {
  if (!tx.settings.enableNotification) return;
  const actor = tx.user;
  const recipients = (await memberIds(tx.em, room)).filter(id => id !== actor.id);
  if (!(await createNotification(tx.em, message, type, recipients))) return;
  tx.afterCommit(async () => {
    await tx.notifier.notify({ type, roomId: room.id, messageId: message.id, senderId: actor.id, recipientIds: recipients, message: await show() });
  });
}
