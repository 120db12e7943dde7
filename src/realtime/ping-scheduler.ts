/**
 * Ping scheduling: every socket is pinged once per interval, a tenth of the sockets per tick (ten
 * thousand sockets never block the loop at once); one that did not answer the previous ping is cut
 * off, and its close takes it offline.
 */
import type { ChatConnection } from './connection.js';

/** Each ping interval is cut into this many ticks, each pinging its share of the sockets. */
const PING_SLICES = 10;

export class PingScheduler {
  /** Each socket has a fixed tick of the interval (its slot), so it is pinged every interval exactly. */
  private readonly slots: Set<ChatConnection>[] = Array.from({ length: PING_SLICES }, () => new Set());
  private readonly slotOf = new WeakMap<ChatConnection, number>();
  private nextSlot = 0;
  private tick = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly intervalMs: number) {}

  start(): void {
    // 0: no pings; sockets stay active by their frames alone.
    if (this.intervalMs <= 0) return;
    this.timer ??= setInterval(() => this.ping(), this.intervalMs / PING_SLICES);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Pings `connection` from now on. */
  add(connection: ChatConnection): void {
    const slot = this.nextSlot++ % PING_SLICES;
    this.slotOf.set(connection, slot);
    this.slots[slot]!.add(connection);
  }

  remove(connection: ChatConnection): void {
    this.slots[this.slotOf.get(connection) ?? 0]!.delete(connection);
  }

  private ping(): void {
    const slot = this.slots[this.tick]!;
    this.tick = (this.tick + 1) % PING_SLICES;
    for (const connection of slot) {
      if (!connection.open) continue;
      if (!connection.answeredPing) {
        connection.terminate();
        continue;
      }
      connection.answeredPing = false;
      try {
        connection.socket.ping();
      } catch {
        // Closing already.
      }
    }
  }
}
