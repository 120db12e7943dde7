/**
 * A user's pending notifications in one statement, what `chat.notifications` carries on connect:
 * grouped by room, the latest `perRoom` of each room the user is still in (oldest first), each
 * shown by PostgreSQL from the configured serializer. Bounded however many are pending: a client
 * reads the rest through history (a room's unread count is in `room.list`).
 */
import type { EntityManager } from '@mikro-orm/core';
import { MEMBERSHIP_PIVOTS } from '../entities/membership-pivots.js';
import type { Representation } from '../serializers/model-serializer.js';
import { preparedSql } from './prepared.js';
import { namesOfModel } from './sql-names.js';

/** Notifications sent per room on connect, at most. */
export const NOTIFICATIONS_PER_ROOM = 20;

/** The pending notifications of `userId`, grouped by room id; `shownSql` shows one (over alias `n`). */
export async function pendingNotificationsByRoom(em: EntityManager, shownSql: string, userId: string, perRoom = NOTIFICATIONS_PER_ROOM): Promise<Record<string, Representation[]>> {
  const notification = namesOfModel(em, 'ChatNotification');
  const message = namesOfModel(em, 'Message');
  const recipients = notification.pivot('recipients');
  const [room, createdAt] = [message.column('room'), message.column('createdAt')];
  const rows = await preparedSql<{ room: string; shown: Representation[] | string }>(
    em,
    `with rooms as (select room_id from ${MEMBERSHIP_PIVOTS.participants} where user_id = ? union select room_id from ${MEMBERSHIP_PIVOTS.subscribers} where user_id = ?),
      ranked as (select x.${notification.id} as id, m.${room} as room, m.${createdAt} as at,
          row_number() over (partition by m.${room} order by m.${createdAt} desc, x.${notification.id} desc) as rank
        from ${notification.table} x
        join ${recipients.table} r on r.${recipients.owner} = x.${notification.id} and r.${recipients.target} = ?
        join ${message.table} m on m.${message.id} = x.${notification.column('message')}
        where m.${room} in (select room_id from rooms) and not m.${message.column('isDeleted')})
    select ranked.room, json_agg(${shownSql} order by ranked.at, ranked.id) as shown
      from ranked join ${notification.table} n on n.${notification.id} = ranked.id
     where ranked.rank <= ? group by ranked.room order by ranked.room`,
    [userId, userId, userId, perRoom],
  );
  const grouped: Record<string, Representation[]> = {};
  for (const row of rows) grouped[row.room] = typeof row.shown === 'string' ? (JSON.parse(row.shown) as Representation[]) : row.shown;
  return grouped;
}
