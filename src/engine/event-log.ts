/**
 * The room event log: numbers each room event in the transaction that wrote it (one counter per
 * room, on the room's row) and stores it, so a reconnecting client gets exactly what it missed.
 * Messages and rooms are stored as references and shown as they are when replayed (see
 * `log-refs.ts`); events that add members record who joined, so a replay starts where each
 * member came in.
 */
import type { EntityManager } from '@mikro-orm/core';
import { sql } from '../permissions/membership.js';
import type { ChatEvent, GroupChange } from './events.js';
import { collectRefs, resolveRefs, type LogRenderer } from './log-refs.js';

/** A logged event, as replayed. */
export interface LoggedEvent {
  readonly roomId: string;
  readonly seq: number;
  readonly eventType: string;
  readonly data: unknown;
  /** True when what the event showed is gone (a deleted message): its number passes, nothing is sent. */
  readonly redacted?: boolean;
}

/** The stored form of an event (`payload` column). */
interface StoredPayload {
  readonly v: 2;
  readonly data: unknown;
  /** Users this event made members of the room. */
  readonly joined?: readonly string[];
}

function isStored(payload: unknown): payload is StoredPayload {
  return typeof payload === 'object' && payload !== null && 'v' in payload && payload.v === 2;
}

/** The stored form (the `payload` column's JSON text) of an event's logged data. */
export function storedPayload(data: unknown, joined?: readonly string[]): string {
  const payload: StoredPayload = { v: 2, data: data ?? null, ...(joined && joined.length > 0 ? { joined } : {}) };
  return JSON.stringify(payload);
}

/** Trims a room's log now and then (when its latest number crosses a hundred): a client further behind than `retention` refetches instead. */
export async function trimRoomLog(em: EntityManager, roomId: string, latest: number, added: number, retention: number): Promise<void> {
  if (Math.floor(latest / 100) === Math.floor((latest - added) / 100)) return;
  await sql(em, 'delete from chat_room_event where room_id = ? and seq <= ?', [roomId, latest - retention]);
}

/**
 * Numbers and stores the room events of an action; returns the events with `seq` and `roomId`
 * set (events of a room deleted by the action stay unnumbered). Rooms are locked in id order,
 * so two actions never wait on each other in a cycle. `groups` says who joined which room.
 */
export async function recordRoomEvents(em: EntityManager, events: readonly ChatEvent[], retention: number, groups: readonly GroupChange[] = []): Promise<ChatEvent[]> {
  const byRoom = new Map<string, number[]>();
  events.forEach((event, i) => {
    if ('room' in event.audience) byRoom.set(event.audience.room, [...(byRoom.get(event.audience.room) ?? []), i]);
  });
  const out = events.map(withoutLogData);
  for (const roomId of [...byRoom.keys()].sort()) {
    const indexes = byRoom.get(roomId)!;
    const rows = await sql<{ event_seq: string | number }>(em, 'update chat_room set event_seq = event_seq + ? where id = ? returning event_seq', [indexes.length, roomId]);
    if (rows.length === 0) continue;
    const last = Number(rows[0]!.event_seq);
    const joined = [...new Set(groups.filter(g => g.roomId === roomId).flatMap(g => g.join ?? []))];
    const values: unknown[] = [];
    indexes.forEach((index, k) => {
      const event = events[index]!;
      const seq = last - indexes.length + 1 + k;
      out[index] = { ...out[index]!, seq, roomId };
      values.push(roomId, seq, event.eventType, storedPayload(event.logData ?? event.data, k === 0 ? joined : undefined));
    });
    await sql(em, `insert into chat_room_event (room_id, seq, event_type, payload) values ${indexes.map(() => '(?, ?, ?, ?)').join(', ')}`, values);
    await trimRoomLog(em, roomId, last, indexes.length, retention);
  }
  return out;
}

function withoutLogData(event: ChatEvent): ChatEvent {
  if (event.logData === undefined) return event;
  const { logData: _logData, ...rest } = event;
  return rest;
}

/**
 * Events of a room after `afterSeq`, in order (at most `limit`), with the messages and rooms they
 * refer to shown by `render` as they are now; an event whose subject is gone comes back
 * `redacted`. Without `render`, references stay as they are stored (`{ "$message": id }`).
 */
export async function eventsSince(em: EntityManager, roomId: string, afterSeq: number, limit = 1000, render?: LogRenderer): Promise<LoggedEvent[]> {
  const rows = await sql<{ seq: string | number; event_type: string; payload: unknown }>(
    em,
    'select seq, event_type, payload from chat_room_event where room_id = ? and seq > ? order by seq limit ?',
    [roomId, afterSeq, limit],
  );
  const payloads = rows.map((r): unknown => (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload));
  // Rows written before references existed hold their data as it was sent.
  const data = payloads.map(payload => (isStored(payload) ? payload.data : payload));
  const ids = { messages: new Set<string>(), rooms: new Set<string>() };
  for (const item of data) collectRefs(item, ids);
  const shown = render && (ids.messages.size > 0 || ids.rooms.size > 0) ? await render({ messages: [...ids.messages], rooms: [...ids.rooms] }) : undefined;
  return rows.map((r, i) => {
    const base = { roomId, seq: Number(r.seq), eventType: r.event_type };
    if (!shown) return { ...base, data: data[i] };
    const resolved = resolveRefs(data[i], shown);
    return resolved === undefined ? { ...base, data: null, redacted: true } : { ...base, data: resolved };
  });
}

/**
 * For each room, the number of the latest logged event that made the user a member: a replay
 * for them starts there. A room missing from the map has no such event in the log (the user
 * joined before the oldest event kept), so everything kept is theirs.
 */
export async function joinPoints(em: EntityManager, roomIds: readonly string[], userId: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (roomIds.length === 0) return out;
  const rows = await sql<{ room_id: string; seq: string | number }>(
    em,
    `select room_id, max(seq) as seq from chat_room_event
      where room_id in (${roomIds.map(() => '?').join(', ')}) and payload -> 'joined' @> ?::jsonb
      group by room_id`,
    [...roomIds, JSON.stringify([userId])],
  );
  for (const row of rows) out.set(row.room_id, Number(row.seq));
  return out;
}
