/**
 * Read receipts: `message.read` (messages by id) and reading a room up to a message. Reading what
 * was read already changes nothing; the user's own messages are never marked.
 */
import type { AbstractMessage } from '../../entities/message.js';
import { ValidationFailed } from '../../errors/chat-error.js';
import type { Representation } from '../../serializers/model-serializer.js';
import { model } from '../../swappable/registry.js';
import type { TransactionContext, EngineContext } from '../context.js';
import { toAsker, toRoom, type ActionResult, type ChatEvent } from '../events.js';
import { idList, objectInput, requiredId } from '../input.js';
import { messageRef } from '../log-refs.js';
import { lockRoom, lockRoomsOfMessages, lockUser } from '../row-locks.js';
import { refreshMessages, showMessages } from './show.js';

/**
 * `message.read`: read receipts for messages others sent (one id or a list; reading twice
 * changes nothing). One `readreceipt.dispatch` per room: the message, or the list of messages.
 */
export async function readMessages(ctx: EngineContext, data: unknown): Promise<ActionResult<Representation[]>> {
  const input = objectInput(data);
  const single = !Array.isArray(input.message_id);
  const ids = idList(input.message_id, 'message_id');
  return ctx.transaction(async tx => {
    await lockRoomsOfMessages(tx.em, ids);
    await lockUser(tx.em, tx.user.id);
    const messages = await tx.permissions.messageAccess(tx.em, tx.user, ids);
    return markRead(tx, messages, single);
  });
}

/** Every message of a room up to (and including) `message_id` that the user has not read yet. */
export async function readUpTo(ctx: EngineContext, data: unknown): Promise<ActionResult<Representation[]>> {
  const input = objectInput(data);
  const roomId = requiredId(input.room_id, 'room_id');
  const upTo = requiredId(input.message_id, 'message_id');
  return ctx.transaction(async tx => {
    const { em, user } = tx;
    await lockRoom(em, roomId);
    await lockUser(em, user.id);
    const room = await tx.permissions.roomAccess(em, user, roomId);
    const [last] = await tx.permissions.messageAccess(em, user, [upTo]);
    if (last!.room.id !== room.id) throw ValidationFailed.fromFields({ message_id: ['The message is not in this room.'] });
    const messages = await em.find(
      model('Message'),
      { room: room.id, isDeleted: false, createdAt: { $lte: last!.createdAt }, sender: { $ne: user.id } },
      { orderBy: { createdAt: 'asc', id: 'asc' } },
    );
    return markRead(tx, messages, false);
  });
}

async function markRead(tx: TransactionContext, messages: readonly AbstractMessage[], single: boolean): Promise<ActionResult<Representation[]>> {
  const { em, user } = tx;
  const others = messages.filter(m => m.sender.id !== user.id);
  const already = new Set((await em.find(model('ReadReceipt'), { reader: user.id, message: { $in: others.map(m => m.id) } })).map(r => r.message.id));
  const fresh = others.filter(m => !already.has(m.id));
  for (const message of fresh) em.create(model('ReadReceipt'), { message, reader: em.getReference(model('User'), user.id) });
  await em.flush();
  await refreshMessages(em, fresh);
  // Reading again changes nothing and tells nobody else, but the asker still gets the dispatch it waits for.
  const repeat = fresh.length === 0 && others.length > 0;
  const byRoom = new Map<string, AbstractMessage[]>();
  for (const message of repeat ? others : fresh) byRoom.set(message.room.id, [...(byRoom.get(message.room.id) ?? []), message]);
  const events: ChatEvent[] = [];
  const result: Representation[] = [];
  for (const [roomId, list] of byRoom) {
    const shown = await showMessages(tx, list);
    result.push(...shown);
    const data = single ? shown[0] : shown;
    const refs = list.map(m => messageRef(m.id));
    events.push(repeat ? toAsker(user.id, 'readreceipt.dispatch', data) : toRoom(roomId, 'readreceipt.dispatch', data, single ? refs[0] : refs));
  }
  return { result, events, groups: [], ...(repeat ? { created: false } : {}) };
}
