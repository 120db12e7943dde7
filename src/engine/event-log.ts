/**
 * The room event log: numbers each room event in the transaction that wrote it (one counter per
 * room, on the room's row) and stores it, so a reconnecting client gets exactly what it missed.
 */
import type { EntityManager } from '@mikro-orm/core';
import { sql } from '../permissions/membership.js';
import type { ChatEvent } from './events.js';

/** A logged event, as replayed. */
export interface LoggedEvent {
  readonly roomId: string;
  readonly seq: number;
  readonly eventType: string;
  readonly data: unknown;
}

/**
 * Numbers and stores the room events of an action; returns the events with `seq` and `roomId`
 * set (events of a room deleted by the action stay unnumbered). Rooms are locked in id order,
 * so two actions never wait on each other in a cycle.
 */
export async function recordRoomEvents(em: EntityManager, events: readonly ChatEvent[], retention: number): Promise<ChatEvent[]> {
  const byRoom = new Map<string, number[]>();
  events.forEach((event, i) => {
    if ('room' in event.audience) byRoom.set(event.audience.room, [...(byRoom.get(event.audience.room) ?? []), i]);
  });
  const out = [...events];
  for (const roomId of [...byRoom.keys()].sort()) {
    const indexes = byRoom.get(roomId)!;
    const rows = await sql<{ event_seq: string | number }>(em, 'update chat_room set event_seq = event_seq + ? where id = ? returning event_seq', [indexes.length, roomId]);
    if (rows.length === 0) continue;
    const last = Number(rows[0]!.event_seq);
    const values: unknown[] = [];
    indexes.forEach((index, k) => {
      const seq = last - indexes.length + 1 + k;
      out[index] = { ...events[index]!, seq, roomId };
      values.push(roomId, seq, events[index]!.eventType, JSON.stringify(events[index]!.data ?? null));
    });
    await sql(em, `insert into chat_room_event (room_id, seq, event_type, payload) values ${indexes.map(() => '(?, ?, ?, ?)').join(', ')}`, values);
    // Trim the log now and then: a client further behind than `retention` refetches instead.
    if (Math.floor(last / 100) !== Math.floor((last - indexes.length) / 100)) {
      await sql(em, 'delete from chat_room_event where room_id = ? and seq <= ?', [roomId, last - retention]);
    }
  }
  return out;
}

/** Events of a room after `afterSeq`, in order (at most `limit`). */
export async function eventsSince(em: EntityManager, roomId: string, afterSeq: number, limit = 1000): Promise<LoggedEvent[]> {
  const rows = await sql<{ seq: string | number; event_type: string; payload: unknown }>(
    em,
    'select seq, event_type, payload from chat_room_event where room_id = ? and seq > ? order by seq limit ?',
    [roomId, afterSeq, limit],
  );
  return rows.map(r => ({ roomId, seq: Number(r.seq), eventType: r.event_type, data: typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload }));
}

/** For each room, its latest event number and the oldest one still kept. */
export async function logBounds(em: EntityManager, roomIds: readonly string[]): Promise<Map<string, { latest: number; oldest: number | null }>> {
  const out = new Map<string, { latest: number; oldest: number | null }>();
  if (roomIds.length === 0) return out;
  const marks = roomIds.map(() => '?').join(', ');
  const latest = await sql<{ id: string; event_seq: string | number }>(em, `select id, event_seq from chat_room where id in (${marks})`, [...roomIds]);
  const oldest = await sql<{ room_id: string; oldest: string | number }>(em, `select room_id, min(seq) as oldest from chat_room_event where room_id in (${marks}) group by room_id`, [...roomIds]);
  for (const row of latest) out.set(row.id, { latest: Number(row.event_seq), oldest: null });
  for (const row of oldest) {
    const entry = out.get(row.room_id);
    if (entry) out.set(row.room_id, { ...entry, oldest: Number(row.oldest) });
  }
  return out;
}
