/**
 * Reads the room event log for the sockets of this process: the latest number of each room and
 * the events a socket missed. Concurrent identical reads share one query (the 100 sockets of a
 * room that all noticed the same gap), and `latest` batches every room asked within a tick.
 */
import type { MikroORM } from '@mikro-orm/core';
import { eventsSince, joinPoints, type LoggedEvent } from '../engine/event-log.js';
import type { LogRenderer } from '../engine/log-refs.js';
import { sql } from '../permissions/membership.js';

/** Events `(after, until]` of a room, or `trimmed` when the log no longer holds them all. */
export type Missed = readonly LoggedEvent[] | 'trimmed';

export class RoomLogReader {
  private readonly inFlight = new Map<string, Promise<Missed>>();
  private batch: { ids: Set<string>; result: Promise<Map<string, number>> } | undefined;

  constructor(
    private readonly orm: MikroORM,
    /** Most events replayed at once; a socket further behind is told to refetch. */
    private readonly maxReplay: number,
    /** Shows the messages and rooms logged events refer to, as they are now. */
    private readonly render: LogRenderer,
  ) {}

  /** For each room, the number of the event that last made the user a member (a replay starts there). */
  joinPoints(roomIds: readonly string[], userId: string): Promise<Map<string, number>> {
    return joinPoints(this.orm.em.fork(), roomIds, userId);
  }

  /** The latest event number of a room (0: none yet; -1: the room no longer exists). */
  async latest(roomId: string): Promise<number> {
    if (!this.batch) {
      const ids = new Set<string>();
      const result = new Promise<Map<string, number>>((resolve, reject) => {
        setImmediate(() => {
          this.batch = undefined;
          this.readLatest([...ids]).then(resolve, reject);
        });
      });
      this.batch = { ids, result };
    }
    this.batch.ids.add(roomId);
    return (await this.batch.result).get(roomId) ?? -1;
  }

  /** The events of a room after `after` up to `until`, in order. */
  missed(roomId: string, after: number, until: number): Promise<Missed> {
    if (until <= after) return Promise.resolve([]);
    if (until - after > this.maxReplay) return Promise.resolve('trimmed');
    const key = `${roomId}:${after}:${until}`;
    let read = this.inFlight.get(key);
    if (!read) {
      read = this.readMissed(roomId, after, until).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, read);
    }
    return read;
  }

  private async readMissed(roomId: string, after: number, until: number): Promise<Missed> {
    const events = (await eventsSince(this.orm.em.fork(), roomId, after, until - after, this.render)).filter(e => e.seq <= until);
    // The log is trimmed from its oldest end, so a first event past `after + 1` means some are gone.
    if (events.length === 0 || events[0]!.seq !== after + 1) return 'trimmed';
    return events;
  }

  private async readLatest(roomIds: string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (let start = 0; start < roomIds.length; start += 1000) {
      const chunk = roomIds.slice(start, start + 1000);
      const rows = await sql<{ id: string; event_seq: string | number }>(
        this.orm.em.fork(),
        `select id, event_seq from chat_room where id in (${chunk.map(() => '?').join(', ')})`,
        chunk,
      );
      for (const row of rows) out.set(row.id, Number(row.event_seq));
    }
    return out;
  }
}
