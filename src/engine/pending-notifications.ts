/**
 * A user's pending notifications, what `chat.notifications` carries on connect: grouped by room,
 * the latest `perRoom` of each room the user is still in (oldest first), each shown by PostgreSQL
 * from the configured serializer. Bounded however many are pending: a client reads the rest
 * through history (a room's unread count is in `room.list`). A socket's rooms come with them.
 */
import type { EntityManager } from '@mikro-orm/core';
import { ROOMS_OF_USERS_SQL } from '../entities/membership-pivots.js';
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
 * `{}` when nothing is pending.
 */
export async function pendingNotificationsOfUsers(
  em: EntityManager,
  shown: CompiledShown,
  userIds: readonly string[],
  perRoom = NOTIFICATIONS_PER_ROOM,
): Promise<Map<string, Record<string, Representation[]>>> {
  const read = await roomsAndPendingOfUsers(em, shown, userIds, perRoom);
  return new Map([...read].map(([userId, { notifications }]) => [userId, notifications]));
}

/** What a socket reads on connect: the ids of its user's rooms, and the user's pending notifications by room id. */
export interface RoomsAndPending {
  readonly rooms: string[];
  readonly notifications: Record<string, Representation[]>;
}

/**
 * The rooms and pending notifications of each of `userIds`; every user asked is in the result. Two
 * statements whatever the number of users: the first reads the rooms and picks the notifications
 * (a small plan); only when it picks any does the second show them (the serializer's statement,
 * whose plan is large: starting it costs about half a millisecond even for no rows, and most
 * sockets open with nothing pending).
 */
export async function roomsAndPendingOfUsers(
  em: EntityManager,
  shown: CompiledShown,
  userIds: readonly string[],
  perRoom = NOTIFICATIONS_PER_ROOM,
): Promise<Map<string, RoomsAndPending>> {
  const rows = await roomsAndPicks(em, userIds, perRoom);
  const read = new Map<string, RoomsAndPending>(userIds.map(userId => [userId, { rooms: [], notifications: {} }]));
  const picked = [...new Set(rows.filter(row => row.id !== null).map(row => String(row.id)))];
  const representations = picked.length > 0 ? await showNotifications(em, shown, picked) : new Map<string, Representation>();
  // Picks come by user, room, then oldest first: each room's list is in the order it is sent.
  for (const row of rows) {
    const entry = read.get(String(row.user_id));
    if (!entry) continue;
    if (row.id === null) {
      entry.rooms.push(row.room);
      continue;
    }
    const representation = representations.get(String(row.id));
    if (representation !== undefined) (entry.notifications[row.room] ??= []).push(representation);
  }
  return read;
}

/** A room of a user (`id` null), or a notification picked for the user: the latest `perRoom` of each room the user is still in. */
interface RoomOrPick {
  readonly user_id: string;
  readonly room: string;
  readonly id: string | null;
}

function roomsAndPicks(em: EntityManager, userIds: readonly string[], perRoom: number): Promise<RoomOrPick[]> {
  const notification = namesOfModel(em, 'ChatNotification');
  const message = namesOfModel(em, 'Message');
  const recipients = notification.pivot('recipients');
  const [room, createdAt] = [message.column('room'), message.column('createdAt')];
  // The users go in as one array (`= any(?)`): one prepared plan for any number of them.
  return preparedSql<RoomOrPick>(
    em,
    `with rooms as (${ROOMS_OF_USERS_SQL}),
      ranked as (select r.${recipients.target} as user_id, x.${notification.id} as id, m.${room} as room, m.${createdAt} as at,
          row_number() over (partition by r.${recipients.target}, m.${room} order by m.${createdAt} desc, x.${notification.id} desc) as rank
        from ${notification.table} x
        join ${recipients.table} r on r.${recipients.owner} = x.${notification.id} and r.${recipients.target} = any(?)
        join ${message.table} m on m.${message.id} = x.${notification.column('message')}
        join rooms u on u.user_id = r.${recipients.target} and u.room_id = m.${room}
        where not m.${message.column('isDeleted')})
    select user_id, room, id, at from ranked where rank <= ?
    union all select user_id, room_id, null, null from rooms
    order by user_id, room, at nulls first, id`,
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
