/**
 * Chat notifications: a row per message with the members still to be told, removed as each
 * device acknowledges delivery; and the provider interface for push delivery (a no-op by default,
 * a recording double for tests).
 */
import type { EntityManager } from '@mikro-orm/core';
import type { AbstractChatNotification } from '../entities/chat-notification.js';
import type { NotificationType } from '../entities/media-types.js';
import type { AbstractMessage } from '../entities/message.js';
import { sql } from '../permissions/membership.js';
import { model } from '../swappable/registry.js';
import { namesOfModel } from './sql-names.js';

/** What a provider is told once a notification is stored. */
export interface PushNotification {
  readonly type: NotificationType;
  readonly roomId: string;
  readonly messageId: string;
  readonly senderId: string;
  readonly recipientIds: readonly string[];
  /** The message as the configured serializer shows it. */
  readonly message: unknown;
}

/** Delivers notifications outside the chat (push, e-mail...). Called after the transaction commits. */
export interface NotificationProvider {
  notify(notification: PushNotification): Promise<void>;
}

/** The default provider: does nothing. */
export class NoopNotificationProvider implements NotificationProvider {
  async notify(): Promise<void> {}
}

/** A provider that records what it is asked to deliver (for tests and local development). */
export class RecordingNotificationProvider implements NotificationProvider {
  readonly sent: PushNotification[] = [];

  async notify(notification: PushNotification): Promise<void> {
    this.sent.push(notification);
  }
}

/**
 * Stores a notification of `message` for `recipientIds` (nothing when there is nobody to tell).
 * The recipients go in with one INSERT of ids: a room of a hundred would otherwise cost the unit of
 * work a hundred references to track.
 */
export async function createNotification(
  em: EntityManager,
  message: AbstractMessage,
  type: NotificationType,
  recipientIds: readonly string[],
): Promise<AbstractChatNotification | undefined> {
  if (recipientIds.length === 0) return undefined;
  const notification = em.create(model('ChatNotification'), { message, notificationType: type });
  await em.flush();
  const pivot = namesOfModel(em, 'ChatNotification').pivot('recipients');
  await em
    .getConnection()
    .execute(
      `insert into ${pivot.table} (${pivot.owner}, ${pivot.target}) select ?, unnest(?::uuid[])`,
      [notification.id, `{${recipientIds.join(',')}}`],
      'run',
      em.getTransactionContext(),
    );
  return notification;
}

/** Removes the user from the notifications of these messages (emptied ones are deleted by the signal). */
export async function acknowledgeNotifications(em: EntityManager, userId: string, messageIds: readonly string[]): Promise<void> {
  const notifications: AbstractChatNotification[] = await em.find(model('ChatNotification'), { message: { $in: [...messageIds] }, recipients: userId }, { populate: ['recipients'] });
  for (const notification of notifications) {
    const me = notification.recipients.getItems().find(u => u.id === userId);
    if (me) notification.recipients.remove(me);
  }
}

/**
 * A member left or was removed: their pending notifications of the room's messages go (so nothing
 * of the room reaches them any more, and nothing is left that they cannot clear), and so do the
 * notifications left without recipients.
 */
export async function dropRoomNotifications(em: EntityManager, roomId: string, userIds: readonly string[]): Promise<void> {
  if (userIds.length === 0) return;
  const notification = namesOfModel(em, 'ChatNotification');
  const message = namesOfModel(em, 'Message');
  const recipients = notification.pivot('recipients');
  const inRoom = `select n.${notification.id} from ${notification.table} n join ${message.table} m on m.${message.id} = n.${notification.column('message')} where m.${message.column('room')} = ?`;
  await sql(em, `delete from ${recipients.table} where ${recipients.target} in (${userIds.map(() => '?').join(', ')}) and ${recipients.owner} in (${inRoom})`, [...userIds, roomId]);
  await sql(em, `delete from ${notification.table} where ${notification.id} in (${inRoom}) and not exists (select 1 from ${recipients.table} r where r.${recipients.owner} = ${notification.table}.${notification.id})`, [roomId]);
}

/** Messages were deleted: their notifications go with them (a soft-deleted message keeps its row, so they would stay). */
export async function dropMessageNotifications(em: EntityManager, messageIds: readonly string[]): Promise<void> {
  if (messageIds.length === 0) return;
  const notification = namesOfModel(em, 'ChatNotification');
  await sql(em, `delete from ${notification.table} where ${notification.column('message')} in (${messageIds.map(() => '?').join(', ')})`, [...messageIds]);
}

/** Records that the user's devices received these messages, in one statement; a delivery already recorded stays as it is. */
export async function recordDeliveries(em: EntityManager, messageIds: readonly string[], userId: string): Promise<void> {
  if (messageIds.length === 0) return;
  const delivered = namesOfModel(em, 'Message').pivot('deliveredTo');
  await sql(em, `insert into ${delivered.table} (${delivered.owner}, ${delivered.target}) select unnest(?::uuid[]), ? on conflict do nothing`, [
    `{${messageIds.join(',')}}`,
    userId,
  ]);
}
