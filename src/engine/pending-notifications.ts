/**
 * A user's pending notifications in one statement, what `chat.notifications` carries on connect:
 * grouped by room, the latest `perRoom` of each room the user is still in (oldest first), each
 * shown by PostgreSQL from the configured serializer. Bounded however many are pending: a client
 * reads the rest through history (a room's unread count is in `room.list`).
 */
import type { EntityManager } from '@mikro-orm/core';
import { MEMBERSHIP_PIVOTS } from '../entities/membership-pivots.js';
import type { Representation } from '../serializers/model-serializer.js';
import type { CompiledShown, ShownRows } from '../serializers/representation-sql.js';
import { preparedSql } from './prepared.js';
import { namesOfModel } from './sql-names.js';

/** Notifications sent per room on connect, at most. */
export const NOTIFICATIONS_PER_ROOM = 20;

/** The rows a notification's representation is compiled over (`representationSql`). */
export const NOTIFICATION_ROWS: ShownRows = { set: 'picked', alias: 'n' };

/** The pending notifications of `userId`, grouped by room id; `shown` (compiled over `NOTIFICATION_ROWS`) shows one. */
export async function pendingNotificationsByRoom(em: EntityManager, shown: CompiledShown, userId: string, perRoom = NOTIFICATIONS_PER_ROOM): Promise<Record<string, Representation[]>> {
  return (await pendingNotificationsOfUsers(em, shown, [userId], perRoom)).get(userId) ?? {};
}

/**
 * The pending notifications of each of `userIds` (sockets of many users opening together): by
 * user, then by room id, as `pendingNotificationsByRoom`. Every user asked is in the result, with
 * `{}` when nothing is pending. Two statements whatever the number of users: the first picks the
 * notifications (a small plan); only when it picks any does the second show them (the serializer's
 * statement, whose plan is large: starting it costs about half a millisecond even for no rows, and
 * most sockets open with nothing pending).
 */
export async function pendingNotificationsOfUsers(
  em: EntityManager,
  shown: CompiledShown,
  userIds: readonly string[],
  perRoom = NOTIFICATIONS_PER_ROOM,
): Promise<Map<string, Record<string, Representation[]>>> {
  const picks = await pickPending(em, userIds, perRoom);
  const byUser = new Map<string, Record<string, Representation[]>>(userIds.map(userId => [userId, {}]));
  if (picks.length === 0) return byUser;
  const representations = await showNotifications(em, shown, [...new Set(picks.map(pick => pick.id))]);
  // Picks come by user, room, then oldest first: each room's list is in the order it is sent.
  for (const pick of picks) {
    const grouped = byUser.get(String(pick.user_id));
    const representation = representations.get(String(pick.id));
    if (!grouped || representation === undefined) continue;
    (grouped[pick.room] ??= []).push(representation);
  }
  return byUser;
}

/** A notification picked for a user: the latest `perRoom` of each room the user is still in. */
interface Pick {
  readonly user_id: string;
  readonly room: string;
  readonly id: string;
}

function pickPending(em: EntityManager, userIds: readonly string[], perRoom: number): Promise<Pick[]> {
  const notification = namesOfModel(em, 'ChatNotification');
  const message = namesOfModel(em, 'Message');
  const recipients = notification.pivot('recipients');
  const [room, createdAt] = [message.column('room'), message.column('createdAt')];
  const { participants, subscribers } = MEMBERSHIP_PIVOTS;
  // The users go in as one array (`= any(?)`): one prepared plan for any number of them.
  return preparedSql<Pick>(
    em,
    `with rooms as (select user_id, room_id from ${participants} where user_id = any(?) union select user_id, room_id from ${subscribers} where user_id = any(?)),
      ranked as (select r.${recipients.target} as user_id, x.${notification.id} as id, m.${room} as room, m.${createdAt} as at,
          row_number() over (partition by r.${recipients.target}, m.${room} order by m.${createdAt} desc, x.${notification.id} desc) as rank
        from ${notification.table} x
        join ${recipients.table} r on r.${recipients.owner} = x.${notification.id} and r.${recipients.target} = any(?)
        join ${message.table} m on m.${message.id} = x.${notification.column('message')}
        join rooms u on u.user_id = r.${recipients.target} and u.room_id = m.${room}
        where not m.${message.column('isDeleted')})
    select user_id, room, id from ranked where rank <= ? order by user_id, room, at, id`,
    [userIds, userIds, userIds, perRoom],
  );
}

/**
 * The representations of the notifications `ids`, by id. A message deleted since the pick (the
 * statements see the database at two moments) is left out, as the pick would have.
 */
async function showNotifications(em: EntityManager, shown: CompiledShown, ids: readonly string[]): Promise<Map<string, Representation>> {
  const notification = namesOfModel(em, 'ChatNotification');
  const message = namesOfModel(em, 'Message');
  const rows = await preparedSql<{ id: string; shown: Representation | string }>(
    em,
    `with ${NOTIFICATION_ROWS.set} as materialized (select n.* from ${notification.table} n join ${message.table} m on m.${message.id} = n.${notification.column('message')}
      where n.${notification.id} = any(?) and not m.${message.column('isDeleted')})${shown.ctes.map(cte => `,\n      ${cte}`).join('')}
    select n.${notification.id} as id, ${shown.shown} as shown from ${NOTIFICATION_ROWS.set} n ${shown.joins}`,
    [ids],
  );
  return new Map(rows.map(row => [String(row.id), typeof row.shown === 'string' ? (JSON.parse(row.shown) as Representation) : row.shown]));
}
