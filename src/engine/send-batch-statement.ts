/**
 * Several sends into one room as one statement: the same checks and writes as `send-statement.ts`
 * for each message (its sender's permission, its notification and recipients, its numbered log
 * event), with the room's row locked and bumped once. Group commit uses it to share one round
 * trip and one commit among the sends that queued up behind a room's statement in flight. Each
 * column travels as one typed array, so the statement's text (and its prepared plan) is the same
 * for any number of sends.
 */
import type { EntityManager } from '@mikro-orm/core';
import { MEMBERSHIP_PIVOTS } from '../entities/membership-pivots.js';
import { Room } from '../entities/room.js';
import { model } from '../swappable/registry.js';
import { arrayTypes } from './insert-rows.js';
import { preparedSql } from './prepared.js';
import { cachedText, forgetFormerMembers, lockedRoom, mayPost, parseUuidArray, roomChanged, sendShape, type SendOutcome, type SendRows } from './send-statement.js';
import { namesOf, namesOfModel } from './sql-names.js';

/** Whether sends of this shape can travel as typed arrays (a column that is itself an array cannot). */
export function batchable(rows: SendRows): boolean {
  return arrayTypes([...rows.message.types, ...(rows.notification?.types ?? [])]);
}

function primaryKeyType(em: EntityManager, entity: Function): string {
  const meta = em.getMetadata().find(entity.name)!;
  return String(meta.properties[meta.primaryKeys[0]!]!.columnTypes[0]);
}

function buildBatchText(em: EntityManager, first: SendRows): string {
  const room = namesOf(em, Room);
  const { message, notification: notificationRow } = first;
  const messageNames = namesOfModel(em, 'Message');
  const input = [
    'ord int',
    `sender ${primaryKeyType(em, model('User'))}`,
    `message_id ${primaryKeyType(em, model('Message'))}`,
    'payload text',
    ...message.types.map((type, i) => `m${i} ${type}`),
    ...(notificationRow?.types ?? []).map((type, i) => `n${i} ${type}`),
  ];
  const arrays = input.map(column => `?::${column.slice(column.indexOf(' ') + 1)}[]`);
  const names = input.map(column => column.slice(0, column.indexOf(' ')));
  let text = `with input as (select * from unnest(${arrays.join(', ')}) as i(${names.join(', ')})),
  ${lockedRoom(em)},
  allowed as (select i.* from input i, locked_room r where ${mayPost(em, 'i.sender')}),
  inserted as (insert into ${message.table} (${message.columns.join(', ')}) select ${message.columns.map((_, i) => `m${i}`).join(', ')} from allowed order by ord returning ${messageNames.id} as id),
  members as (select user_id from ${MEMBERSHIP_PIVOTS.participants} where room_id = ? union select user_id from ${MEMBERSHIP_PIVOTS.subscribers} where room_id = ?),
  sent as (select a.* from allowed a join inserted x on x.id = a.message_id)`;
  if (notificationRow) {
    const notification = namesOfModel(em, 'ChatNotification');
    const recipients = notification.pivot('recipients');
    text += `,
  notified as (insert into ${notificationRow.table} (${notificationRow.columns.join(', ')}) select ${notificationRow.columns.map((_, i) => `n${i}`).join(', ')} from sent s
    where exists (select 1 from members where user_id <> s.sender) returning ${notification.id} as id, ${notification.column('message')} as message_id),
  recipients as (insert into ${recipients.table} (${recipients.owner}, ${recipients.target})
    select n.id, m.user_id from notified n join sent s on s.message_id = n.message_id, members m where m.user_id <> s.sender
    returning ${recipients.owner} as notification_id, ${recipients.target} as user_id)`;
  }
  const recipientsOf = notificationRow && first.wantRecipients
    ? '(select coalesce(array_agg(r.user_id), array[]::uuid[]) from recipients r join notified n on n.id = r.notification_id where n.message_id = q.message_id)'
    : 'array[]::uuid[]';
  text += `,
  numbered as (update ${room.table} set event_seq = event_seq + (select count(*) from sent),
      ${room.column('lastMessage')} = (select message_id from sent order by ord desc limit 1), ${room.column('updatedAt')} = ?
    where ${room.id} = ? and exists (select 1 from sent) returning event_seq),
  sequenced as (select s.ord, s.message_id, s.payload, n.event_seq - (select count(*) from sent) + row_number() over (order by s.ord) as seq from sent s, numbered n),
  logged as (insert into chat_room_event (room_id, seq, event_type, payload) select ?, seq, 'message.dispatch', payload::jsonb from sequenced returning seq)
  select q.ord, q.seq, ${recipientsOf} as recipients, ${roomChanged(em)} as room_changed from sequenced q`;
  return text;
}

/**
 * Runs `sends` (all into `roomId`, all of one `sendShape`) as one statement; each gets its own
 * outcome, in order: undefined where its sender may not post there.
 */
export async function runSendBatch(em: EntityManager, roomId: string, sends: readonly SendRows[]): Promise<(SendOutcome | undefined)[]> {
  const first = sends[0]!;
  const columns = (rows: (s: SendRows) => unknown[]) => first.message.values.map((_, j) => sends.map(s => rows(s)[j]));
  const params: unknown[] = [
    sends.map((_, i) => i),
    sends.map(s => s.senderId),
    sends.map(s => s.messageId),
    sends.map(s => s.logPayload),
    ...columns(s => s.message.values),
    ...(first.notification ? first.notification.values.map((_, j) => sends.map(s => s.notification!.values[j])) : []),
    roomId,
    roomId,
    roomId,
    sends[sends.length - 1]!.at,
    roomId,
    roomId,
    roomId,
  ];
  const text = cachedText(em, `batch:${sendShape(first)}`, () => buildBatchText(em, first));
  const rows = await preparedSql<{ ord: number; seq: string | number; recipients: string[] | string; room_changed: boolean }>(em, text, params);
  // The room changed while the statement waited for it: the recipients who have left since are forgotten.
  const gone = first.notification && rows.some(row => row.room_changed) ? await forgetFormerMembers(em, roomId, rows.map(row => sends[Number(row.ord)]!.messageId)) : undefined;
  const outcomes: (SendOutcome | undefined)[] = sends.map(() => undefined);
  for (const row of rows) {
    const left = gone?.get(sends[Number(row.ord)]!.messageId);
    const recipients = parseUuidArray(row.recipients);
    outcomes[Number(row.ord)] = { seq: Number(row.seq), recipients: left ? recipients.filter(id => !left.has(id)) : recipients };
  }
  return outcomes;
}
