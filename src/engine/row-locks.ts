/**
 * Row locks that make an action's read-check-write safe against concurrent actions: taken first
 * in the action's transaction, held until it commits. What each one serialises:
 * - the room row: membership and administration (member limits, the last member out, roles), and
 *   every action that writes to the room against them: an action checks membership after it holds
 *   its room's row, so a member removed meanwhile is refused, never numbered after the removal;
 * - message rows: edits and deletions (an edit never writes to a deleted message);
 * - the acting user's row: what is unique per user (a reaction, a read receipt, a delivery).
 * Always in that order (rooms, then messages, then the user), so that no two actions wait on each
 * other in a cycle. `FOR NO KEY UPDATE` leaves foreign-key checks (a message inserted into the
 * room) unblocked.
 */
import type { EntityManager } from '@mikro-orm/core';
import { Room } from '../entities/room.js';
import { sql } from '../permissions/membership.js';
import { model } from '../swappable/registry.js';
import { namesOf } from './sql-names.js';

async function lockRows(em: EntityManager, entity: Function, ids: readonly (string | number)[]): Promise<void> {
  if (ids.length === 0) return;
  const { table, id } = namesOf(em, entity);
  // Always in key order, so two actions locking overlapping rows never wait on each other in a cycle.
  const sorted = [...new Set(ids)].sort();
  await sql(em, `select ${id} from ${table} where ${id} in (${sorted.map(() => '?').join(', ')}) order by ${id} for no key update`, sorted);
}

/** Locks a room's row: membership and administration of the room wait for each other. */
export function lockRoom(em: EntityManager, roomId: string): Promise<void> {
  return lockRows(em, Room, [roomId]);
}

/** Locks the rows of the rooms `messageIds` are in (of the configured Message model), in key order. */
export async function lockRoomsOfMessages(em: EntityManager, messageIds: readonly string[]): Promise<void> {
  if (messageIds.length === 0) return;
  const room = namesOf(em, Room);
  const message = namesOf(em, model('Message'));
  const ids = [...new Set(messageIds)];
  await sql(
    em,
    `select ${room.id} from ${room.table} where ${room.id} in (select ${message.column('room')} from ${message.table} where ${message.id} in (${ids.map(() => '?').join(', ')}))
      order by ${room.id} for no key update`,
    ids,
  );
}

/** Locks message rows (of the configured Message model), in key order. */
export function lockMessages(em: EntityManager, messageIds: readonly string[]): Promise<void> {
  return lockRows(em, model('Message'), messageIds);
}

/** Locks the acting user's row (of the configured User model): their reactions, receipts and deliveries are written one action at a time. */
export function lockUser(em: EntityManager, userId: string): Promise<void> {
  return lockRows(em, model('User'), [userId]);
}
