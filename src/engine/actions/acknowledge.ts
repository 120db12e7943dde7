/** `message.acknowledged`: the user's devices received messages; their senders hear of the delivery. */
import type { Representation } from '../../serializers/model-serializer.js';
import type { EngineContext } from '../context.js';
import { toUsers, type ActionResult } from '../events.js';
import { idList, objectInput } from '../input.js';
import { acknowledgeNotifications, recordDeliveries } from '../notifications.js';
import { lockRoomsOfMessages, lockUser } from '../row-locks.js';
import { refreshMessages, showMessage } from './show.js';

/**
 * `message.acknowledged`: removes the user from the messages' notifications, records the
 * delivery, and tells each sender (`messagedelivered.dispatch`).
 */
export async function acknowledgeMessages(ctx: EngineContext, data: unknown): Promise<ActionResult<Record<string, Representation[]>>> {
  const ids = idList(objectInput(data).message_id, 'message_id');
  return ctx.transaction(async tx => {
    const { em, user } = tx;
    await lockRoomsOfMessages(em, ids);
    await lockUser(em, user.id);
    const messages = await tx.permissions.messageAccess(em, user, ids);
    await acknowledgeNotifications(em, user.id, ids);
    const others = messages.filter(m => m.sender.id !== user.id);
    await recordDeliveries(em, others.map(m => m.id), user.id);
    await refreshMessages(em, others);
    const bySender: Record<string, Representation[]> = {};
    for (const message of others) (bySender[message.sender.id] ??= []).push(await showMessage(tx, message));
    const events = Object.entries(bySender).map(([senderId, shown]) => toUsers([senderId], 'messagedelivered.dispatch', shown));
    return { result: bySender, events, groups: [] };
  });
}
