/**
 * Row locks that make an action's read-check-write safe against concurrent actions: taken first
 * in the action's transaction, held until it commits. What each one serialises:
 * - the room row: membership and administration (member limits, the last member out, roles);
 * - message rows: edits and deletions (an edit never writes to a deleted message);
 * - the acting user's row: what is unique per user (a reaction, a read receipt, a delivery).
 * `FOR NO KEY UPDATE` leaves foreign-key checks (a message inserted into the room) unblocked.
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

/** Locks message rows (of the configured Message model), in key order. */
export function lockMessages(em: EntityManager, messageIds: readonly string[]): Promise<void> {
  return lockRows(em, model('Message'), messageIds);
}

/** Locks the acting user's row (of the configured User model): their reactions, receipts and deliveries are written one action at a time. */
export function lockUser(em: EntityManager, userId: string): Promise<void> {
  return lockRows(em, model('User'), [userId]);
}
