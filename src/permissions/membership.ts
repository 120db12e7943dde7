/**
 * Room membership as the rules need it: who belongs to a room, in which role, and which rooms a
 * user belongs to, read straight from the shared membership tables (one query each).
 */
import { DriverException, type EntityManager } from '@mikro-orm/core';
import type { AbstractSqlConnection, Knex } from '@mikro-orm/postgresql';
import { AbstractChannel } from '../entities/channel.js';
import { AbstractGroupChat } from '../entities/group-chat.js';
import { MEMBERSHIP_PIVOTS, type MembershipRelation } from '../entities/membership-pivots.js';
import { AbstractOneToOneChat } from '../entities/one-to-one-chat.js';
import { Room } from '../entities/room.js';

/** The kind of a room, whatever its class. */
export type RoomKind = 'one_to_one' | 'group' | 'channel' | 'other';

/** A room's kind. */
export function kindOf(room: Room): RoomKind {
  if (room instanceof AbstractGroupChat) return 'group';
  if (room instanceof AbstractChannel) return 'channel';
  if (room instanceof AbstractOneToOneChat) return 'one_to_one';
  return 'other';
}

const kindsByMetadata = new WeakMap<object, Readonly<Record<RoomKind, readonly string[]>>>();

/**
 * The stored `type` values of each kind of room, from the discriminator map of the configured
 * room classes (a custom GroupChat keeps the group's kind). For statements that decide by kind in SQL.
 */
export function roomTypesByKind(em: EntityManager): Readonly<Record<RoomKind, readonly string[]>> {
  const metadata = em.getMetadata();
  let kinds = kindsByMetadata.get(metadata);
  if (!kinds) {
    const out: Record<RoomKind, string[]> = { one_to_one: [], group: [], channel: [], other: [] };
    const root = metadata.find(Room.name)!;
    for (const [value, className] of Object.entries(root.discriminatorMap ?? {})) {
      const cls = metadata.find(className)?.class;
      // An instance of the class without running its constructor: enough for `instanceof`.
      const probe: Room | undefined = cls && Object.create(cls.prototype);
      if (probe) out[kindOf(probe)].push(value);
    }
    kinds = out;
    kindsByMetadata.set(metadata, kinds);
  }
  return kinds;
}

/** The id of a room's creator: a group's or a channel's; other rooms have none. */
export function creatorIdOf(room: Room): string | undefined {
  return room instanceof AbstractGroupChat || room instanceof AbstractChannel ? room.creator?.id : undefined;
}

/** The relation that holds a room's members. */
export function membersOf(room: Room): 'participants' | 'subscribers' {
  return room instanceof AbstractChannel ? 'subscribers' : 'participants';
}

/** The relation that holds a room's admins (groups) or moderators (channels). */
export function privilegedOf(room: Room): 'admins' | 'moderators' | undefined {
  if (room instanceof AbstractGroupChat) return 'admins';
  if (room instanceof AbstractChannel) return 'moderators';
  return undefined;
}

/**
 * Runs SQL (`?` placeholders) in the entity manager's transaction, if it has one; a database refusal
 * comes out as MikroORM's exception class for it. The values travel as bound parameters: MikroORM's
 * own `execute` writes them into the SQL text, which costs CPU on every call, and which the
 * embedded database's driver takes for several statements when a value holds a `;`.
 */
export async function sql<T>(em: EntityManager, text: string, params: readonly unknown[] = []): Promise<T[]> {
  const connection = em.getConnection() as AbstractSqlConnection;
  const query = connection.getKnex().raw(text, params as Knex.RawBinding[]);
  const context = em.getTransactionContext<Knex.Transaction>();
  if (context) query.transacting(context);
  try {
    const result = (await query) as { rows?: T[] } | T[];
    return Array.isArray(result) ? result : (result.rows ?? []);
  } catch (error) {
    throw error instanceof Error && !(error instanceof DriverException) ? em.getDriver().convertException(error) : error;
  }
}

/** The users of one relation of a room, by id. */
export async function userIdsIn(em: EntityManager, roomId: string, relation: MembershipRelation): Promise<string[]> {
  const rows = await sql<{ user_id: string }>(em, `select user_id from ${MEMBERSHIP_PIVOTS[relation]} where room_id = ? order by user_id`, [roomId]);
  return rows.map(r => r.user_id);
}

/** Whether a user is in one relation of a room. */
export async function isIn(em: EntityManager, roomId: string, relation: MembershipRelation, userId: string): Promise<boolean> {
  const rows = await sql(em, `select 1 from ${MEMBERSHIP_PIVOTS[relation]} where room_id = ? and user_id = ? limit 1`, [roomId, userId]);
  return rows.length > 0;
}

/** The members of a room (participants, or subscribers of a channel). */
export function memberIds(em: EntityManager, room: Room): Promise<string[]> {
  return userIdsIn(em, room.id, membersOf(room));
}

/** Whether a user is a member of a room. */
export function isMember(em: EntityManager, room: Room, userId: string): Promise<boolean> {
  return isIn(em, room.id, membersOf(room), userId);
}

/** Every room a user is a member of. */
export async function roomIdsOf(em: EntityManager, userId: string): Promise<string[]> {
  const rows = await sql<{ room_id: string }>(
    em,
    `select room_id from ${MEMBERSHIP_PIVOTS.participants} where user_id = ? union select room_id from ${MEMBERSHIP_PIVOTS.subscribers} where user_id = ?`,
    [userId, userId],
  );
  return rows.map(r => r.room_id);
}
