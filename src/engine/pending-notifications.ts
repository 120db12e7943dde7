/**
 * A user's pending notifications in one statement, what `chat.notifications` carries on connect:
 * grouped by room, the latest `perRoom` of each room the user is still in (oldest first), each
 * shown by PostgreSQL from the configured serializer. Bounded however many are pending: a client
 * reads the rest through history (a room's unread count is in `room.list`).
 */
import type { EntityManager } from '@mikro-orm/core';
import { MEMBERSHIP_PIVOTS } from '../entities/membership-pivots.js';
import type { Representation } from '../serializers/model-serializer.js';
import { among, type CompiledShown, type ShownRows } from '../serializers/representation-sql.js';
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
 * The pending notifications of each of `userIds` (sockets of many users opening together), in one
 * statement whatever their number: by user, then by room id, as `pendingNotificationsByRoom`.
 * Every user asked is in the result, with `{}` when nothing is pending.
 */
export async function pendingNotificationsOfUsers(
  em: EntityManager,
  shown: CompiledShown,
  userIds: readonly string[],
  perRoom = NOTIFICATIONS_PER_ROOM,
): Promise<Map<string, Record<string, Representation[]>>> {
  const notification = namesOfModel(em, 'ChatNotification');
  const message = namesOfModel(em, 'Message');
  const recipients = notification.pivot('recipients');
  const [room, createdAt] = [message.column('room'), message.column('createdAt')];
  const { participants, subscribers } = MEMBERSHIP_PIVOTS;
  // The users go in as one array (`= any(?)`): one prepared plan for any number of them.
  const rows = await preparedSql<{ user_id: string; room: string; shown: Representation[] | string }>(
    em,
    `with rooms as (select user_id, room_id from ${participants} where user_id = any(?) union select user_id, room_id from ${subscribers} where user_id = any(?)),
      ranked as (select r.${recipients.target} as user_id, x.${notification.id} as id, m.${room} as room, m.${createdAt} as at,
          row_number() over (partition by r.${recipients.target}, m.${room} order by m.${createdAt} desc, x.${notification.id} desc) as rank
        from ${notification.table} x
        join ${recipients.table} r on r.${recipients.owner} = x.${notification.id} and r.${recipients.target} = any(?)
        join ${message.table} m on m.${message.id} = x.${notification.column('message')}
        join rooms u on u.user_id = r.${recipients.target} and u.room_id = m.${room}
        where not m.${message.column('isDeleted')}),
      ${NOTIFICATION_ROWS.set} as materialized (select n.* from ${notification.table} n where ${among(`n.${notification.id}`, 'select id from ranked where rank <= ?')})${shown.ctes.map(cte => `,\n      ${cte}`).join('')}
    select ranked.user_id, ranked.room, json_agg(s.shown order by ranked.at, ranked.id) as shown
      from ranked join (select n.${notification.id} as id, ${shown.shown} as shown from ${NOTIFICATION_ROWS.set} n ${shown.joins}) s on s.id = ranked.id
     where ranked.rank <= ? group by ranked.user_id, ranked.room order by ranked.user_id, ranked.room`,
    [userIds, userIds, userIds, perRoom, perRoom],
  );
  const byUser = new Map<string, Record<string, Representation[]>>(userIds.map(userId => [userId, {}]));
  for (const row of rows) {
    const grouped = byUser.get(String(row.user_id));
    if (grouped) grouped[row.room] = typeof row.shown === 'string' ? (JSON.parse(row.shown) as Representation[]) : row.shown;
  }
  return byUser;
}
