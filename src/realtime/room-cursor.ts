/**
 * One socket's position in one room's event log. Live events come in as they are published, in
 * any order and possibly twice (a node that reconnected, a resync); the cursor sends each number
 * exactly once, in order, reading from the log whatever did not arrive live.
 */
import type { RoomLogReader } from './room-log-reader.js';

/** A numbered room event, live or read back from the log. */
export interface NumberedEvent {
  readonly roomId: string;
  readonly seq: number;
  readonly eventType: string;
  readonly data: unknown;
  /** What the event showed is gone: its number passes, nothing is sent. */
  readonly redacted?: boolean;
}

/** What the cursor needs from its socket. */
export interface CursorOwner {
  readonly log: RoomLogReader;
  /** While true the cursor queues (a resuming client has not said where it stopped yet). */
  readonly holding: boolean;
  /** False once the socket is closed: the cursor stops. */
  readonly open: boolean;
  send(event: NumberedEvent): void;
  /** Events `(after, until]` cannot be replayed (trimmed from the log): the client must refetch. */
  refetch(roomId: string, after: number, until: number): void;
}

export class RoomCursor {
  private queue: NumberedEvent[] = [];
  private running: Promise<void> | undefined;
  private tailCheck = false;
  private backingOff = false;
  /** Whether any event went out on this socket (a resume may then no longer rewind). */
  sent = false;
  /** Set when the socket leaves the room: nothing more goes out, even from a read already under way. */
  private stopped = false;

  constructor(
    private readonly owner: CursorOwner,
    readonly roomId: string,
    /** The last number the socket has (or need not have); null: position at the log's latest. */
    public delivered: number | null,
  ) {}

  /** The socket left the room (its user was removed, or left): the cursor sends nothing more, ever. */
  stop(): void {
    this.stopped = true;
    this.queue = [];
    this.tailCheck = false;
  }

  /** A live event of this room. */
  offer(event: NumberedEvent): void {
    if (this.stopped) return;
    // The usual case, the next number with nothing pending: straight out, no loop to start.
    if (!this.running && this.queue.length === 0 && !this.tailCheck && this.delivered !== null && event.seq === this.delivered + 1 && this.owner.open && !this.owner.holding) {
      this.deliver(event);
      return;
    }
    const queue = this.queue;
    let i = queue.length;
    while (i > 0 && queue[i - 1]!.seq > event.seq) i--;
    queue.splice(i, 0, event);
    this.pump();
  }

  /** Reads the log's latest number and sends whatever this socket is missing up to it. */
  catchUp(): void {
    this.tailCheck = true;
    this.pump();
  }

  /** For a resume: the client has everything up to `after`; replay from there. */
  rewind(after: number): boolean {
    // Replaying behind events already sent would break the order: the client refetches instead.
    if (this.sent || this.running) return false;
    this.delivered = after;
    this.tailCheck = true;
    return true;
  }

  /** Resolves once every queued event is sent (or the cursor stopped). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Starts sending if it can; a no-op while running, holding or closed. */
  pump(): void {
    // While holding, a cursor still finds its position (a read), but sends nothing.
    if (this.stopped || this.running || this.backingOff || !this.owner.open || (this.owner.holding && this.delivered !== null)) return;
    this.running = this.run()
      .catch(error => this.failed(error))
      .finally(() => {
        this.running = undefined;
        // Anything offered during the last await of run() is still here.
        if (this.owner.open && !this.owner.holding && (this.queue.length > 0 || this.tailCheck)) this.pump();
      });
  }

  /** The log could not be read (the database is away): nothing is lost, the cursor tries again shortly. */
  private failed(error: unknown): void {
    // A read still under way when the socket closed (the server stopping, the database closing
    // under it) concerns nobody any more: no report, no retry against a database that is gone.
    if (this.stopped || !this.owner.open) return;
    this.owner.log.reportFailure(error);
    this.backingOff = true;
    setTimeout(() => {
      this.backingOff = false;
      this.catchUp();
    }, RETRY_MS).unref();
  }

  private async run(): Promise<void> {
    const { owner } = this;
    while (owner.open && !this.stopped) {
      if (this.delivered === null) {
        this.delivered = Math.max(await owner.log.latest(this.roomId), 0);
        continue;
      }
      if (owner.holding) return;
      if (this.tailCheck) {
        this.tailCheck = false;
        const latest = await owner.log.latest(this.roomId);
        if (latest > this.delivered) await this.fill(latest);
        continue;
      }
      const queue = this.queue;
      let drop = 0;
      while (drop < queue.length && queue[drop]!.seq <= this.delivered) drop++;
      if (drop > 0) queue.splice(0, drop);
      const next = queue[0];
      if (!next) return;
      if (next.seq === this.delivered + 1) {
        queue.shift();
        this.deliver(next);
      } else {
        await this.fill(next.seq - 1);
      }
    }
  }

  /** Sends `(delivered, until]` from the log. */
  private async fill(until: number): Promise<void> {
    const after = this.delivered!;
    const missed = await this.owner.log.missed(this.roomId, after, until);
    if (this.stopped) return;
    if (missed !== 'trimmed') for (const event of missed) if (event.seq === this.delivered! + 1) this.deliver(event);
    if (this.delivered! < until) {
      this.owner.refetch(this.roomId, this.delivered!, until);
      this.delivered = until;
    }
  }

  private deliver(event: NumberedEvent): void {
    if (this.stopped) return;
    this.delivered = event.seq;
    if (event.redacted) return;
    this.sent = true;
    this.owner.send(event);
  }
}

/** How long a cursor waits before reading the log again after a failure. */
const RETRY_MS = 1000;
