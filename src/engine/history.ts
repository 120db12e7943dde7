/**
 * Reading a room's messages: pages by number (the original's `room.messages`) and by cursor
 * (newest first, stable while new messages arrive), and the unread counts of a user's rooms.
 */
import type { EntityManager, EntityMetadata } from '@mikro-orm/core';
import type { AbstractMessage } from '../entities/message.js';
import { ValidationFailed } from '../errors/chat-error.js';
import { sql } from '../permissions/membership.js';
import { model } from '../swappable/registry.js';
import { isUuid } from './input.js';

/** A page of messages by number. */
export interface NumberedPage {
  readonly messages: AbstractMessage[];
  readonly page: number;
  readonly size: number;
  readonly hasNext: boolean;
  readonly hasPrevious: boolean;
}

/** Messages of a room, newest first, by page number; a page past the end gives the last page. */
export async function messagesByPage(em: EntityManager, roomId: string, page: number, size: number): Promise<NumberedPage> {
  const Message = model('Message');
  const total = await em.count(Message, { room: roomId } as never);
  const pages = Math.max(1, Math.ceil(total / size));
  const actual = Math.min(page, pages);
  const messages = (await em.find(Message, { room: roomId } as never, {
    orderBy: { createdAt: 'desc', id: 'desc' } as never,
    limit: size,
    offset: (actual - 1) * size,
  })) as AbstractMessage[];
  return { messages, page: actual, size, hasNext: actual < pages, hasPrevious: actual > 1 };
}

/** Every message of a room, newest first (the original's `room.messages` without paging). */
export async function allMessages(em: EntityManager, roomId: string): Promise<AbstractMessage[]> {
  return (await em.find(model('Message'), { room: roomId } as never, { orderBy: { createdAt: 'desc', id: 'desc' } as never })) as AbstractMessage[];
}

/** A page of messages by cursor, and the cursor of the next (older) page. */
export interface CursorPage {
  readonly messages: AbstractMessage[];
  readonly nextCursor: string | null;
}

/** Encodes the position after a message: its creation time and id. */
export function cursorAfter(message: AbstractMessage): string {
  return Buffer.from(`${message.createdAt.toISOString()}|${message.id}`).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const [time, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(time ?? '');
  // A forged cursor may decode to any date: only those PostgreSQL can hold go on to the query.
  const year = createdAt.getUTCFullYear();
  if (!id || !isUuid(id) || Number.isNaN(year) || year < 1 || year > 9999) throw ValidationFailed.fromFields({ before: ['Not a cursor this server issued.'] });
  return { createdAt, id };
}

/**
 * Messages older than `before` (or the newest), newest first. Ordered by (creation time, id), so
 * messages sent while a client pages back land before its first page and are never repeated.
 */
export async function messagesByCursor(em: EntityManager, roomId: string, before: string | undefined, limit: number): Promise<CursorPage> {
  const where: Record<string, unknown> = { room: roomId };
  if (before) {
    const at = decodeCursor(before);
    where.$or = [{ createdAt: { $lt: at.createdAt } }, { createdAt: at.createdAt, id: { $lt: at.id } }];
  }
  const rows = (await em.find(model('Message'), where as never, { orderBy: { createdAt: 'desc', id: 'desc' } as never, limit: limit + 1 })) as AbstractMessage[];
  const messages = rows.slice(0, limit);
  return { messages, nextCursor: rows.length > limit ? cursorAfter(messages[messages.length - 1]!) : null };
}

function column(meta: EntityMetadata, property: string): string {
  return (meta.properties as Record<string, { fieldNames: string[] }>)[property]!.fieldNames[0]!;
}

/** For each room, how many messages others sent that the user has not read (deleted ones aside). */
export async function unreadCounts(em: EntityManager, userId: string, roomIds: readonly string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>(roomIds.map(id => [id, 0]));
  if (roomIds.length === 0) return counts;
  const metadata = em.getMetadata();
  const message = metadata.find(model('Message').name)!;
  const receipt = metadata.find(model('ReadReceipt').name)!;
  const placeholders = roomIds.map(() => '?').join(', ');
  const rows = await sql<{ room_id: string; unread: string | number }>(
    em,
    `select m.${column(message, 'room')} as room_id, count(*) as unread
       from ${message.tableName} m
      where m.${column(message, 'room')} in (${placeholders})
        and m.${column(message, 'sender')} <> ?
        and m.${column(message, 'isDeleted')} = false
        and not exists (select 1 from ${receipt.tableName} r where r.${column(receipt, 'message')} = m.${column(message, 'id')} and r.${column(receipt, 'reader')} = ?)
      group by m.${column(message, 'room')}`,
    [...roomIds, userId, userId],
  );
  for (const row of rows) counts.set(row.room_id, Number(row.unread));
  return counts;
}
