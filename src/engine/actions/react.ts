/** `message.react`: a user's reaction to a message (one per user and message), added, replaced or removed. */
import type { Representation } from '../../serializers/model-serializer.js';
import { model } from '../../swappable/registry.js';
import type { EngineContext } from '../context.js';
import { toAsker, toRoom, type ActionResult } from '../events.js';
import { idList, objectInput, oneOf } from '../input.js';
import { messageRef } from '../log-refs.js';
import { lockRoomsOfMessages, lockUser } from '../row-locks.js';
import { notifyMembers } from './notify.js';
import { refreshMessages, showMessage, shownOnce } from './show.js';

/** `message.react`: `add` a reaction (replacing the user's previous one; the same one twice is a no-op) or `remove` it. */
export async function reactToMessage(ctx: EngineContext, data: unknown): Promise<ActionResult<Representation>> {
  const input = objectInput(data);
  const type = oneOf(input.type, 'type', ['add', 'remove'] as const);
  const [messageId] = idList(input.message_id, 'message_id', { max: 1 });
  return ctx.transaction(async tx => {
    const { em, user } = tx;
    await lockRoomsOfMessages(em, [messageId!]);
    await lockUser(em, user.id);
    const [message] = await tx.permissions.messageAccess(em, user, [messageId!]);
    const room = message!.room;
    const existing = await em.findOne(model('Reaction'), { message: messageId, user: user.id });
    let shown: Representation;
    if (type === 'remove') {
      if (existing) em.remove(existing);
      await em.flush();
      await refreshMessages(em, [message!]);
      shown = { status: existing ? 'successful' : 'failed', message: await showMessage(tx, message!), action: 'remove' };
    } else {
      const serializer = tx.serializer('ReactionSerializer');
      const content = input.reaction_content;
      if (existing && existing.reactionContent === content) {
        // The same reaction again changes nothing and tells nobody else; the asker gets the dispatch it waits for.
        shown = { status: 'successful', type: 'add', message: await showMessage(tx, message!) };
        return { result: shown, events: [toAsker(user.id, 'reaction.dispatch', shown)], groups: [], created: false };
      }
      if (existing) await serializer.update(existing, { reaction_content: content });
      else await serializer.create({ user_id: user.id, message: messageId, reaction_content: content });
      await refreshMessages(em, [message!]);
      await notifyMembers(tx, room, message!, 'REACTION', shownOnce(tx, () => ({ id: message!.id })));
      shown = { status: 'successful', type: 'add', message: await showMessage(tx, message!) };
    }
    return { result: shown, events: [toRoom(room.id, 'reaction.dispatch', shown, { ...shown, message: messageRef(message!.id) })], groups: [] };
  });
}
