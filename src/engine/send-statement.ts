/**
 * A message send as one statement, one round trip: it checks the sender may post in the room
 * (the default permission rules, in SQL), inserts the message and its notification with its
 * recipients, numbers the room's event and logs it, and moves the room's last message. The
 * statement commits on its own; the room's row, locked first, orders it among concurrent sends
 * and membership changes (see `lockedRoom` and `mayPost`).
 * Tables and columns come from the metadata of the configured classes, so a swapped Message
 * (its own table, its custom fields) goes through the same statement.
 */
import type { EntityManager } from '@mikro-orm/core';
import { MEMBERSHIP_PIVOTS } from '../entities/membership-pivots.js';
import { ObjectPermission } from '../entities/object-permission.js';
import { Room } from '../entities/room.js';
import { roomTypesByKind } from '../permissions/membership.js';
import { preparedSql } from './prepared.js';
import type { EntityRow } from './entity-row.js';
import { namesOf, namesOfModel } from './sql-names.js';

/** What the statement writes. */
export interface SendRows {
  readonly roomId: string;
  readonly senderId: string;
  readonly messageId: string;
  readonly message: EntityRow;
  /** The notification row, or none (notifications off). */
  readonly notification?: EntityRow;
  /** Whether to return who was notified (a push provider needs them); they are written either way. */
  readonly wantRecipients: boolean;
  /** The room log's payload of the `message.dispatch` event. */
  readonly logPayload: string;
  readonly at: Date;
}

/** What it did: the event's number in the room and who was notified; undefined when the sender may not post there (or the room is gone). */
export interface SendOutcome {
  readonly seq: number;
  readonly recipients: string[];
}

const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');
const quote = (values: readonly string[]) => values.map(v => `'${v.replace(/'/g, "''")}'`).join(', ');

/**
 * Whether `user` (an SQL expression: `?` for a parameter) may post in room `r`, as
 * `PermissionHandler.send` decides: a member; in a channel also its creator, a moderator or a
 * holder of `can_send_messages`; in a locked group also its creator or an admin. Uses `user`
 * eight times (params in that order).
 *
 * `r` is the room's row as `lockedRoom` locked it, and every row the decision rests on is locked
 * `for key share` as it is read: a row that a change committed after the statement began has
 * deleted (the member removed while the room's lock was awaited) is skipped, not seen as it was,
 * and one not yet deleted stays until this statement commits. So a send is decided on who is in
 * the room when its message is numbered, never before a removal it is numbered after.
 */
export function mayPost(em: EntityManager, user = '?'): string {
  const room = namesOf(em, Room);
  const kinds = roomTypesByKind(em);
  const permission = namesOf(em, ObjectPermission);
  const inRelation = (relation: keyof typeof MEMBERSHIP_PIVOTS) =>
    `exists (select 1 from ${MEMBERSHIP_PIVOTS[relation]} x where x.room_id = r.${room.id} and x.user_id = ${user} for key share)`;
  const isType = (types: readonly string[]) => (types.length === 0 ? 'false' : `r.${room.column('type')} in (${quote(types)})`);
  const channel = `${inRelation('subscribers')} and (r.${room.column('creator')} = ${user} or ${inRelation('moderators')} or exists (select 1 from ${permission.table} o
      where o.${permission.column('user')} = ${user} and o.${permission.column('codename')} = 'can_send_messages'
        and o.${permission.column('objectType')} = '${Room.name}' and o.${permission.column('objectId')} = r.${room.id}::text for key share))`;
  const group = `${inRelation('participants')} and (r.${room.column('groupLocked')} is not true or r.${room.column('creator')} = ${user} or ${inRelation('admins')})`;
  return `case when ${isType(kinds.channel)} then ${channel} when ${isType(kinds.group)} then ${group} else ${inRelation('participants')} end`;
}

/**
 * The room's row, locked first (`r` for `mayPost`): membership changes lock it first too, so a
 * send that began while one was under way waits for it, and then decides on the rows it left.
 * Takes the room id as its one parameter.
 */
export function lockedRoom(em: EntityManager): string {
  const room = namesOf(em, Room);
  return `locked_room as (select * from ${room.table} where ${room.id} = ? for no key update)`;
}

/** The number of times `mayPost` uses the user parameter, per branch order. */
const MAY_POST_USER_PARAMS = { channel: 4, group: 3, other: 1 } as const;

/** What decides a send statement's text: the tables and columns of its rows, and whether it returns recipients. */
export function sendShape(rows: Pick<SendRows, 'message' | 'notification' | 'wantRecipients'>): string {
  const { message, notification } = rows;
  return `${message.table}(${message.columns.join(',')})${notification ? `${notification.table}(${notification.columns.join(',')})` : ''}${rows.wantRecipients}`;
}

const textsByMetadata = new WeakMap<object, Map<string, string>>();

/** A statement's text built once per metadata and key (building it reads the metadata and joins kilobytes of SQL). */
export function cachedText(em: EntityManager, key: string, build: () => string): string {
  const metadata = em.getMetadata();
  let texts = textsByMetadata.get(metadata);
  if (!texts) textsByMetadata.set(metadata, (texts = new Map()));
  let text = texts.get(key);
  if (text === undefined) texts.set(key, (text = build()));
  return text;
}

function buildStatementText(em: EntityManager, message: EntityRow, notificationRow: EntityRow | undefined, wantRecipients: boolean): string {
  const room = namesOf(em, Room);
  let text = `with ${lockedRoom(em)},
  allowed as (select r.${room.id} as id from locked_room r where ${mayPost(em)}),
  inserted as (insert into ${message.table} (${message.columns.join(', ')}) select ${marks(message.values.length)} from allowed returning 1),
  members as (select user_id from ${MEMBERSHIP_PIVOTS.participants} where room_id = ? union select user_id from ${MEMBERSHIP_PIVOTS.subscribers} where room_id = ?)`;
  if (notificationRow) {
    const notification = namesOfModel(em, 'ChatNotification');
    const recipients = notification.pivot('recipients');
    text += `,
  notified as (insert into ${notificationRow.table} (${notificationRow.columns.join(', ')}) select ${marks(notificationRow.values.length)} from inserted
    where exists (select 1 from members where user_id <> ?) returning ${notification.id} as id),
  recipients as (insert into ${recipients.table} (${recipients.owner}, ${recipients.target})
    select n.id, m.user_id from notified n, members m where m.user_id <> ? returning ${recipients.target} as user_id)`;
  }
  text += `,
  numbered as (update ${room.table} set event_seq = event_seq + 1, ${room.column('lastMessage')} = ?, ${room.column('updatedAt')} = ?
    where ${room.id} = ? and exists (select 1 from inserted) returning event_seq),
  logged as (insert into chat_room_event (room_id, seq, event_type, payload) select ?, event_seq, 'message.dispatch', ?::jsonb from numbered returning seq)
  select (select seq from logged) as seq, ${notificationRow && wantRecipients ? '(select coalesce(array_agg(user_id), array[]::uuid[]) from recipients)' : 'array[]::uuid[]'} as recipients, ${roomChanged(em)} as room_changed`;
  return text;
}

/**
 * Whether the room's row changed between the statement's snapshot and its lock (an SQL
 * expression, one parameter: the room id). The statement reads the room's members from its
 * snapshot; a change that held the room meanwhile (a member removed, say) committed after it.
 */
export function roomChanged(em: EntityManager): string {
  const room = namesOf(em, Room);
  return `(select event_seq from locked_room) is distinct from (select event_seq from ${room.table} where ${room.id} = ?)`;
}

/**
 * After a send whose room changed while it waited for the room (`roomChanged`): the recipients it
 * wrote who are no longer members are taken off its messages' notifications, and returned by
 * message so that no push goes to them. (A removal that commits later is the removal's business.)
 */
export async function forgetFormerMembers(em: EntityManager, roomId: string, messageIds: readonly string[]): Promise<Map<string, Set<string>>> {
  const notification = namesOfModel(em, 'ChatNotification');
  const recipients = notification.pivot('recipients');
  const isMember = (pivot: string) => `exists (select 1 from ${pivot} x where x.room_id = ? and x.user_id = r.${recipients.target})`;
  const text = cachedText(em, 'forget-former-members', () =>
    `delete from ${recipients.table} r using ${notification.table} n
      where n.${notification.id} = r.${recipients.owner} and n.${notification.column('message')} = any(?::uuid[])
        and not ${isMember(MEMBERSHIP_PIVOTS.participants)} and not ${isMember(MEMBERSHIP_PIVOTS.subscribers)}
      returning n.${notification.column('message')} as message_id, r.${recipients.target} as user_id`,
  );
  const rows = await preparedSql<{ message_id: string; user_id: string }>(em, text, [messageIds, roomId, roomId]);
  const gone = new Map<string, Set<string>>();
  for (const row of rows) {
    let users = gone.get(row.message_id);
    if (!users) gone.set(row.message_id, (users = new Set()));
    users.add(row.user_id);
  }
  return gone;
}

const USER_PARAMS = MAY_POST_USER_PARAMS.channel + MAY_POST_USER_PARAMS.group + MAY_POST_USER_PARAMS.other;

/** Runs the send; see the module comment. */
export async function runSendStatement(em: EntityManager, rows: SendRows): Promise<SendOutcome | undefined> {
  const { message, notification } = rows;
  const user = rows.senderId;
  const params: unknown[] = [rows.roomId];
  for (let i = 0; i < USER_PARAMS; i++) params.push(user);
  params.push(...message.values, rows.roomId, rows.roomId);
  if (notification) params.push(...notification.values, user, user);
  params.push(rows.messageId, rows.at, rows.roomId, rows.roomId, rows.logPayload, rows.roomId);
  const text = cachedText(em, `one:${sendShape(rows)}`, () => buildStatementText(em, message, notification, rows.wantRecipients));
  const [result] = await preparedSql<{ seq: string | number | null; recipients: string[] | string; room_changed: boolean }>(em, text, params);
  if (!result || result.seq === null) return undefined;
  const recipients = parseUuidArray(result.recipients);
  if (!notification || !result.room_changed) return { seq: Number(result.seq), recipients };
  const gone = (await forgetFormerMembers(em, rows.roomId, [rows.messageId])).get(rows.messageId);
  return { seq: Number(result.seq), recipients: gone ? recipients.filter(id => !gone.has(id)) : recipients };
}

/** A uuid[] as the driver returns it: an array (pg) or its text form (`{a,b}`). */
export function parseUuidArray(value: string[] | string): string[] {
  if (Array.isArray(value)) return value;
  const inner = value.replace(/^\{|\}$/g, '');
  return inner === '' ? [] : inner.split(',');
}
