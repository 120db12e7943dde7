/** Editing a message: its sender changes its content, and the room hears the new version. */
import type { Representation } from '../../serializers/model-serializer.js';
import type { EngineContext } from '../context.js';
import { toRoom, type ActionResult } from '../events.js';
import { messageRef } from '../log-refs.js';
import { lockMessages, lockRoomsOfMessages } from '../row-locks.js';
import { showMessage } from './show.js';

/** `message.modify` `update`: one message's new content (`content` validated as the configured serializer says). */
export function editMessage(ctx: EngineContext, messageId: string, content: unknown): Promise<ActionResult<Representation>> {
  return ctx.transaction(async tx => {
    const { em } = tx;
    await lockRoomsOfMessages(em, [messageId]);
    await lockMessages(em, [messageId]);
    const { room, messages } = await tx.permissions.messageSender(em, tx.user, [messageId]);
    const message = messages[0]!;
    await tx.serializer('MessageSerializer').update(message, { content });
    message.isEdited = true;
    await em.flush();
    const shown = { status: 'successful', action: 'update', message: await showMessage(tx, message) };
    return { result: shown, events: [toRoom(room.id, 'messagemodification.dispatch', shown, { ...shown, message: messageRef(message.id) })], groups: [] };
  });
}
