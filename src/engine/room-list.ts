/**
 * A user's rooms a page at a time, most recent activity first (a room's last message, else its
 * creation), with an opaque cursor for the next page. One statement finds the page's ids.
 */
import type { EntityManager } from '@mikro-orm/core';
import { MEMBERSHIP_PIVOTS } from '../entities/membership-pivots.js';
import { Room } from '../entities/room.js';
import { sql } from '../permissions/membership.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { namesOf, namesOfModel } from './sql-names.js';

/** Rooms listed when the client names no `limit`. */
export const DEFAULT_ROOM_PAGE = 100;
/** The most rooms one page holds. */
export const MAX_ROOM_PAGE = 500;

/** One page of rooms, and the cursor of the next one (null on the last page). */
export interface RoomPage {
  readonly rooms: Room[];
  readonly nextCursor: string | null;
}

/** The user's rooms after `before` (or from the most recent), at most `limit`, with their last message loaded. */
export async function roomsByActivity(em: EntityManager, userId: string, limit: number, before?: string): Promise<RoomPage> {
  const room = namesOf(em, Room);
  const message = namesOfModel(em, 'Message');
  const activity = `coalesce(m.${message.column('createdAt')}, r.${room.column('createdAt')})`;
  const after = before ? decodeCursor(before) : undefined;
  const rows = await sql<{ id: string; activity: Date | string }>(
    em,
    `select r.${room.id} as id, ${activity} as activity
       from ${room.table} r
       left join ${message.table} m on m.${message.id} = r.${room.column('lastMessage')}
      where r.${room.id} in (select room_id from ${MEMBERSHIP_PIVOTS.participants} where user_id = ? union select room_id from ${MEMBERSHIP_PIVOTS.subscribers} where user_id = ?)
        ${after ? `and (${activity}, r.${room.id}) < (?, ?)` : ''}
      order by ${activity} desc, r.${room.id} desc
      limit ?`,
    [userId, userId, ...(after ? [after.at, after.id] : []), limit + 1],
  );
  const page = rows.slice(0, limit);
  const found = page.length === 0 ? [] : await em.find(Room, { id: { $in: page.map(r => r.id) } }, { populate: ['lastMessage'] });
  const byId = new Map(found.map(r => [r.id, r]));
  const last = page[page.length - 1];
  return {
    rooms: page.map(r => byId.get(r.id)).filter((r): r is Room => r !== undefined),
    nextCursor: rows.length > limit && last ? encodeCursor(new Date(last.activity), last.id) : null,
  };
}
