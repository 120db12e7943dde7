/**
 * `message.send`: a message, reply (`parent_message_id`), forward (`forwarded_from_id`) or media
 * message (`media`) in a room the user may post in. A `client_id` (a UUID chosen by the client)
 * makes a retry return the first message instead of sending it twice.
 */
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { AbstractMessage } from '../../entities/message.js';
import { IntegrityConflict, NotFound, ValidationFailed } from '../../errors/chat-error.js';
import { PermissionHandler } from '../../permissions/permission-handler.js';
import type { Representation } from '../../serializers/model-serializer.js';
import { model } from '../../swappable/registry.js';
import type { EngineContext } from '../context.js';
import { toRoom, type ActionResult } from '../events.js';
import { objectInput, optionalId, requiredId } from '../input.js';
import { messageRef } from '../log-refs.js';
import { lockRoom } from '../row-locks.js';
import { attachMedia } from './attach-media.js';
import { notifyMembers } from './notify.js';
import { sendPlainMessage } from './send-plain.js';
import { showMessage, shownOnce, type WrittenMessage } from './show.js';

/** `message.send` (see the module's comment). */
export async function sendMessage(ctx: EngineContext, data: unknown): Promise<ActionResult<Representation>> {
  const input = objectInput(data);
  const roomId = requiredId(input.room_id, 'room_id');
  const { media, parent_message_id, forwarded_from_id, client_id, ...custom } = objectInput(input.extra_fields, 'extra_fields');
  const clientId = optionalId(input.client_id ?? client_id, 'client_id');
  const parentId = optionalId(parent_message_id, 'parent_message_id');
  const forwardedId = optionalId(forwarded_from_id, 'forwarded_from_id');
  if (parentId && forwardedId) throw ValidationFailed.rule('A forwarded message cannot be a reply');
  if (media !== undefined && !Array.isArray(media)) throw ValidationFailed.fromFields({ media: ['Media must be a list of media files'] });
  const mediaItems: readonly unknown[] = Array.isArray(media) ? media : [];
  const maxMedia = ctx.settings.maxMediaPerMessage;
  if (mediaItems.length > maxMedia) throw ValidationFailed.fromFields({ media: [`At most ${maxMedia} media files per message.`] });
  let written: WrittenMessage = { id: '' };
  const show = shownOnce(ctx, () => written);
  try {
    // A plain message (no reply, forward or media) goes as one statement, unless the permission rules were customised.
    if (!parentId && !forwardedId && mediaItems.length === 0 && ctx.permissions.send === PermissionHandler.prototype.send) {
      const sent = await sendPlainMessage(ctx, { roomId, content: input.content, custom, clientId });
      // Nothing sent: not allowed, or no such room; the general path below says which.
      if (sent) return sent;
    }
    return await ctx.transaction(async tx => {
      const { em, user } = tx;
      // The room first, as membership changes lock it: a removal under way is waited for, and the check sees what it left.
      await lockRoom(em, roomId);
      const room = await tx.permissions.send(em, user, roomId);
      if (clientId) {
        const earlier = await em.findOne(model('Message'), { id: clientId });
        if (earlier) return repeatedSend(tx, earlier, roomId);
      }
      const parent = parentId ? await referencedMessage(tx, parentId, 'parent_message_id') : undefined;
      if (parent && parent.room.id !== room.id) throw ValidationFailed.fromFields({ parent_message_id: ['A reply must be in the room of the message it replies to.'] });
      const original = forwardedId ? await referencedMessage(tx, forwardedId, 'forwarded_from_id') : undefined;
      const content = mediaItems.length > 0 ? 'Media Files' : (input.content ?? original?.content);
      const sender = em.getReference(model('User'), user.id);
      const message = await tx.serializer('MessageSerializer').create(
        { ...custom, room_id: roomId, sender_id: user.id, content },
        { ...(clientId ? { id: clientId } : {}), parentMessage: parent ?? null, forwardedFrom: original ?? null, isForwarded: !!original },
        { resolved: { room_id: room, sender_id: sender } },
      );
      await attachMedia(tx, message, mediaItems, original);
      written = { ctx: tx, message, id: message.id };
      await notifyMembers(tx, room, message, parent ? 'REPLY' : 'NEW_MESSAGE', show);
      // Shown before the room row is written: concurrent sends to the room wait on that row only until this commit.
      const shown = await show();
      room.lastMessage = message;
      return { result: shown, events: [toRoom(room.id, 'message.dispatch', shown, messageRef(message.id))], groups: [], created: true };
    });
  } catch (error) {
    // Two sends with one client id at once: the loser finds the winner's message.
    if (clientId && error instanceof UniqueConstraintViolationException) {
      const again = ctx.fresh();
      const earlier = await again.em.findOne(model('Message'), { id: clientId });
      if (!earlier) throw error;
      return repeatedSend(again, earlier, roomId);
    }
    throw error;
  }
}

/** The message a reply or forward points at: a missing one is a field error (4003, as the original's serializer says). */
async function referencedMessage(ctx: EngineContext, id: string, field: string): Promise<AbstractMessage> {
  try {
    return (await ctx.permissions.messageAccess(ctx.em, ctx.user, [id]))[0]!;
  } catch (error) {
    if (error instanceof NotFound) throw ValidationFailed.fromFields({ [field]: [`Invalid pk "${id}" - object does not exist.`] });
    throw error;
  }
}

/** A retry of a send that was stored: the first message, or a conflict when the client id is another message's. */
async function repeatedSend(ctx: EngineContext, earlier: AbstractMessage, roomId: string): Promise<ActionResult<Representation>> {
  if (earlier.sender.id !== ctx.user.id || earlier.room.id !== roomId) {
    throw new IntegrityConflict('client_id is already the id of another message', { client_id: earlier.id });
  }
  return { result: await showMessage(ctx, earlier), events: [], groups: [], created: false };
}
