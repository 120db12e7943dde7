/**
 * The hot path of `message.send`: a plain message (no reply, forward or media) under the default
 * permission rules, sent as one statement (see `send-statement.ts`) without the unit of work.
 */
import { EventType, type RequiredEntityData } from '@mikro-orm/core';
import type { AbstractMessage } from '../../entities/message.js';
import { Room } from '../../entities/room.js';
import type { Representation } from '../../serializers/model-serializer.js';
import { model } from '../../swappable/registry.js';
import type { EngineContext } from '../context.js';
import { entityRow } from '../entity-row.js';
import { newEntity } from '../../orm/new-entity.js';
import { storedPayload, trimRoomLog } from '../event-log.js';
import { toRoom, type ActionResult } from '../events.js';
import { messageRef } from '../log-refs.js';
import { NoopNotificationProvider } from '../notifications.js';
import { queueSend } from '../send-queue.js';
import { showMessage } from './show.js';

/** A plain message's input, validated by `sendMessage`. */
export interface PlainMessage {
  readonly roomId: string;
  readonly content: unknown;
  /** The custom fields of `extra_fields`, for the configured serializer. */
  readonly custom: Record<string, unknown>;
  readonly clientId: string | undefined;
}

/**
 * Sends a plain message in one statement: validated by the configured serializer, built as an
 * entity of the configured class (its defaults and custom fields), and shown from that entity
 * without reading anything back. MikroORM's `beforeCreate` and `afterCreate` subscribers run as
 * they would for a flush. Undefined when the user may not post in the room (or it does not
 * exist): nothing was written.
 */
export async function sendPlainMessage(ctx: EngineContext, { roomId, content, custom, clientId }: PlainMessage): Promise<ActionResult<Representation> | undefined> {
  const { em, user, settings, notifier } = ctx;
  const values = await ctx
    .serializer('MessageSerializer')
    .validate({ ...custom, room_id: roomId, sender_id: user.id, content }, { resolved: { room_id: em.getReference(Room, roomId), sender_id: user } });
  const Message = model('Message');
  // The configured serializer validated `values` into entity data of the configured class, which its `Record` type cannot say.
  const message = newEntity(em, Message, { ...values, ...(clientId ? { id: clientId } : {}), parentMessage: null, forwardedFrom: null, isForwarded: false } as RequiredEntityData<AbstractMessage>);
  const events = em.getEventManager();
  const meta = em.getMetadata().find(Message.name)!;
  await events.dispatchEvent(EventType.beforeCreate, { entity: message, em, meta });
  const notification = settings.enableNotification
    ? newEntity(em, model('ChatNotification'), { message, notificationType: 'NEW_MESSAGE' })
    : undefined;
  const sent = await queueSend(em, {
    roomId,
    senderId: user.id,
    messageId: message.id,
    message: entityRow(em, message),
    notification: notification && entityRow(em, notification),
    wantRecipients: !(notifier instanceof NoopNotificationProvider),
    logPayload: storedPayload(messageRef(message.id)),
    at: new Date(),
  });
  if (!sent) return undefined;
  await events.dispatchEvent(EventType.afterCreate, { entity: message, em, meta });
  await trimRoomLog(em, roomId, sent.seq, 1, settings.eventRetention);
  const shown = await showMessage(ctx, message);
  if (sent.recipients.length > 0) {
    const push = { type: 'NEW_MESSAGE' as const, roomId, messageId: message.id, senderId: user.id, recipientIds: sent.recipients, message: shown };
    await notifier.notify(push).catch(error => ctx.logger.error('a post-commit task failed', error));
  }
  const event = { ...toRoom(roomId, 'message.dispatch', shown), seq: sent.seq, roomId };
  return { result: shown, events: [event], groups: [], created: true };
}
