/**
 * Ping scheduling: every socket is pinged once per interval, its share of the sockets on each tick
 * of about a tenth of a second (ten thousand sockets pinged at once would hold the loop, and every
 * delivery behind it, for milliseconds); one that did not answer the previous ping is cut off, and
 * its close takes it offline.
 */
import type { ChatConnection } from './connection.js';

/** How often the scheduler pings its next share of the sockets (ms); the interval is cut into ticks of about this. */
const TICK_MS = 100;
/** Ticks per interval at the least (short intervals, in tests). */
const MIN_SLICES = 10;

export class PingScheduler {
  /** Each socket has a fixed tick of the interval (its slot), so it is pinged every interval exactly. */
  private readonly slots: Set<ChatConnection>[];
  private readonly slotOf = new WeakMap<ChatConnection, number>();
  private nextSlot = 0;
  private tick = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly intervalMs: number) {
    this.slots = Array.from({ length: Math.max(MIN_SLICES, Math.round(intervalMs / TICK_MS)) }, () => new Set());
  }

  start(): void {
    // 0: no pings; sockets stay active by their frames alone.
    if (this.intervalMs <= 0) return;
    this.timer ??= setInterval(() => this.ping(), this.intervalMs / this.slots.length);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Pings `connection` from now on. */
  add(connection: ChatConnection): void {
    const slot = this.nextSlot++ % this.slots.length;
    this.slotOf.set(connection, slot);
    this.slots[slot]!.add(connection);
  }

  remove(connection: ChatConnection): void {
    this.slots[this.slotOf.get(connection) ?? 0]!.delete(connection);
  }

  private ping(): void {
    const slot = this.slots[this.tick]!;
    this.tick = (this.tick + 1) % this.slots.length;
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
