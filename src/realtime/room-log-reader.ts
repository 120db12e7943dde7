/**
 * Reads the room event log for the sockets of this process: the latest number of each room, where
 * a user joined, and the events a socket missed. Concurrent identical reads share one query (the
 * 100 sockets of a room that all noticed the same gap); `latest` and `joinPoints` asked while
 * one read runs go together into the next. It reports failed reads (at most once a minute: one
 * outage would otherwise be reported by every socket) and knows which reads are under way, so the
 * server closes the database only after them.
 */
import type { MikroORM } from '@mikro-orm/core';
import { eventsSince, type LoggedEvent } from '../engine/event-log.js';
import type { LogRenderer } from '../engine/log-refs.js';
import { consoleLogger, type ChatLogger } from '../logging/chat-logger.js';
import { sql } from '../permissions/membership.js';
import { Batched } from '../orm/batched.js';

/** Events `(after, until]` of a room, or `trimmed` when the log no longer holds them all. */
export type Missed = readonly LoggedEvent[] | 'trimmed';

export class RoomLogReader {
  private readonly inFlight = new Map<string, Promise<Missed>>();
  /** Latest numbers of the rooms asked together, read in one statement. */
  private readonly latests = new Batched<string, number>(roomIds => this.readLatest(roomIds));
  /** Join points (`<room> <user>`) of the resumes that come together, read in one statement. */
  private readonly joins = new Batched<string, number>(pairs => this.readJoinPoints(pairs), 500);
  /** Every read under way (each public call until it settles). */
  private readonly pending = new Set<Promise<unknown>>();
  /** When a failed read was last reported (ms). */
  private reportedAt = -Infinity;

  constructor(
    private readonly orm: MikroORM,
    /** Most events replayed at once; a socket further behind is told to refetch. */
    private readonly maxReplay: number,
    /** Shows the messages and rooms logged events refer to, as they are now. */
    private readonly render: LogRenderer,
    /** Where failed reads are reported. */
    private readonly logger: ChatLogger = consoleLogger,
  ) {}

  /** Resolves once no read is under way (their failures are their callers'). */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  /** A read failed: the sockets catch up later. Reported at most once a minute. */
  reportFailure(error: unknown): void {
    if (Date.now() - this.reportedAt < REPORT_EVERY_MS) return;
    this.reportedAt = Date.now();
    this.logger.error('reading the room event log failed; sockets will catch up when it is back', error);
  }

  /** For each room, the number of the event that last made the user a member (a replay starts there). */
  async joinPoints(roomIds: readonly string[], userId: string): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    const points = await this.track(Promise.all(roomIds.map(roomId => this.joins.get(`${roomId} ${userId}`))));
    roomIds.forEach((roomId, i) => {
      if (points[i] !== undefined) out.set(roomId, points[i]!);
    });
    return out;
  }

  /** The latest event number of a room (0: none yet; -1: the room no longer exists). */
  async latest(roomId: string): Promise<number> {
    return (await this.track(this.latests.get(roomId))) ?? -1;
  }

  /** The events of a room after `after` up to `until`, in order. */
  missed(roomId: string, after: number, until: number): Promise<Missed> {
    if (until <= after) return Promise.resolve([]);
    if (until - after > this.maxReplay) return Promise.resolve('trimmed');
    const key = `${roomId}:${after}:${until}`;
    let read = this.inFlight.get(key);
    if (!read) {
      read = this.track(this.readMissed(roomId, after, until)).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, read);
    }
    return read;
  }

  private track<T>(read: Promise<T>): Promise<T> {
    this.pending.add(read);
    const done = () => void this.pending.delete(read);
    read.then(done, done);
    return read;
  }

  private async readMissed(roomId: string, after: number, until: number): Promise<Missed> {
    const events = (await eventsSince(this.orm.em.fork(), roomId, after, until - after, this.render)).filter(e => e.seq <= until);
    // The log is trimmed from its oldest end, so a first event past `after + 1` means some are gone.
    if (events.length === 0 || events[0]!.seq !== after + 1) return 'trimmed';
    return events;
  }

  private async readLatest(roomIds: string[]): Promise<Map<string, number>> {
    const rows = await sql<{ id: string; event_seq: string | number }>(
      this.orm.em.fork(),
      `select id, event_seq from chat_room where id in (${roomIds.map(() => '?').join(', ')})`,
      roomIds,
    );
    return new Map(rows.map(row => [row.id, Number(row.event_seq)]));
  }

  /** `joinPoints` of many users at once: the log's latest event of each room whose `joined` names the user. */
  private async readJoinPoints(pairs: string[]): Promise<Map<string, number>> {
    const split = pairs.map(pair => pair.split(' ') as [string, string]);
    const rows = await sql<{ room_id: string; user_id: string; seq: string | number }>(
      this.orm.em.fork(),
      `select q.room_id, q.user_id, max(e.seq) as seq
         from (values ${split.map(() => '(?::uuid, ?::text)').join(', ')}) as q(room_id, user_id)
         join chat_room_event e on e.room_id = q.room_id and e.payload -> 'joined' @> jsonb_build_array(q.user_id)
        group by q.room_id, q.user_id`,
      split.flat(),
    );
    return new Map(rows.map(row => [`${row.room_id} ${row.user_id}`, Number(row.seq)]));
  }
}

/** How often a failing log is reported at most (ms). */
const REPORT_EVERY_MS = 60_000;
