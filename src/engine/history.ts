/**
 * Reading a room's messages: pages by number (the original's `room.messages`) and by cursor
 * (newest first, stable while new messages arrive), and the unread counts of a user's rooms.
 * Every form shows the same messages: deleted ones (soft delete) never appear.
 */
import type { EntityManager, FilterQuery } from '@mikro-orm/core';
import type { AbstractMessage } from '../entities/message.js';
import { sql } from '../permissions/membership.js';
import { model } from '../swappable/registry.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { namesOfModel } from './sql-names.js';

/** A page of messages by number. */
export interface NumberedPage {
  readonly messages: AbstractMessage[];
  readonly page: number;
  readonly size: number;
  readonly hasNext: boolean;
  readonly hasPrevious: boolean;
}

/** What every form of history shows: the room's messages that are not deleted. */
function shownIn(roomId: string): FilterQuery<AbstractMessage> {
  return { room: roomId, isDeleted: false };
}

/** Messages of a room, newest first, by page number; a page past the end gives the last page. */
export async function messagesByPage(em: EntityManager, roomId: string, page: number, size: number): Promise<NumberedPage> {
  const Message = model('Message');
  const total = await em.count(Message, shownIn(roomId));
  const pages = Math.max(1, Math.ceil(total / size));
  const actual = Math.min(page, pages);
  const messages = await em.find(Message, shownIn(roomId), { orderBy: { createdAt: 'desc', id: 'desc' }, limit: size, offset: (actual - 1) * size });
  return { messages, page: actual, size, hasNext: actual < pages, hasPrevious: actual > 1 };
}

/** A page of messages by cursor, and the cursor of the next (older) page. */
export interface CursorPage {
  readonly messages: AbstractMessage[];
  readonly nextCursor: string | null;
}

/** Encodes the position after a message: its creation time and id. */
export function cursorAfter(message: AbstractMessage): string {
  return encodeCursor(message.createdAt, message.id);
}

/**
 * Messages older than `before` (or the newest), newest first. Ordered by (creation time, id), so
 * messages sent while a client pages back land before its first page and are never repeated.
 */
export async function messagesByCursor(em: EntityManager, roomId: string, before: string | undefined, limit: number): Promise<CursorPage> {
  const after = before === undefined ? undefined : decodeCursor(before);
  const where: FilterQuery<AbstractMessage> = after
    ? { room: roomId, isDeleted: false, $or: [{ createdAt: { $lt: after.at } }, { createdAt: after.at, id: { $lt: after.id } }] }
    : shownIn(roomId);
  const rows = await em.find(model('Message'), where, { orderBy: { createdAt: 'desc', id: 'desc' }, limit: limit + 1 });
  const messages = rows.slice(0, limit);
  return { messages, nextCursor: rows.length > limit ? cursorAfter(messages[messages.length - 1]!) : null };
}

/** For each room, how many messages others sent that the user has not read (deleted ones aside). */
export async function unreadCounts(em: EntityManager, userId: string, roomIds: readonly string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>(roomIds.map(id => [id, 0]));
  if (roomIds.length === 0) return counts;
  const message = namesOfModel(em, 'Message');
  const receipt = namesOfModel(em, 'ReadReceipt');
  const placeholders = roomIds.map(() => '?').join(', ');
  const rows = await sql<{ room_id: string; unread: string | number }>(
    em,
    `select m.${message.column('room')} as room_id, count(*) as unread
       from ${message.table} m
      where m.${message.column('room')} in (${placeholders})
        and m.${message.column('sender')} <> ?
        and m.${message.column('isDeleted')} = false
        and not exists (select 1 from ${receipt.table} r where r.${receipt.column('message')} = m.${message.id} and r.${receipt.column('reader')} = ?)
      group by m.${message.column('room')}`,
    [...roomIds, userId, userId],
  );
  for (const row of rows) counts.set(row.room_id, Number(row.unread));
  return counts;
}
