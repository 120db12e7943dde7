/**
 * The sessions of this process's sockets: a row from the start of each socket's set-up to its
 * close, kept fresh by the client's activity (frames, pongs, heartbeats), and a timer that closes
 * sockets silent past the inactivity threshold (4008) and sweeps the rows nobody keeps any more.
 */
import type { MikroORM } from '@mikro-orm/core';
import type { ChatLogger } from '../logging/chat-logger.js';
import type { ChatConnection } from './connection.js';
import type { LocalSockets } from './local-sockets.js';
import { WS_CODES } from './protocol.js';
import { SessionStore } from './session-store.js';

export class SessionUpkeep {
  readonly store: SessionStore;
  private timer: NodeJS.Timeout | undefined;
  /** The sweep under way, if any: `stop` waits for it. */
  private sweeping: Promise<void> | undefined;

  constructor(
    orm: MikroORM,
    private readonly sockets: LocalSockets,
    private readonly nodeId: string,
    /** A socket silent this long is closed, and a row unseen this long (of no live process) is swept. */
    private readonly inactivityMs: number,
    /** The processes alive now, when leases say (their rows are never swept here). */
    private readonly liveNodes: () => Promise<readonly string[] | undefined>,
    /** Where a failed sweep is reported. */
    private readonly logger: ChatLogger,
  ) {
    this.store = new SessionStore(orm);
  }

  start(): void {
    this.timer ??= setInterval(() => this.check(), Math.min(5000, this.inactivityMs / 4));
    this.timer.unref();
  }

  /** Stops the timer, waits for a sweep under way, and writes the heartbeats not written yet. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.sweeping;
    await this.store.flush().catch(() => {});
  }

  /**
   * Stores the socket's row. The id is the socket's as soon as the row is written: heartbeats
   * during the rest of set-up refresh it, and a close during set-up removes it.
   */
  open(connection: ChatConnection): Promise<number> {
    const session = this.store.open(connection.user, `${this.nodeId}:${connection.id}`).then(id => {
      connection.sessionId = id;
      // Settled, the promise is only memory: the id says it all from now on.
      if (connection.session === session) connection.session = undefined;
      return id;
    });
    connection.session = session;
    return session;
  }

  /** The client was active: its session's `lastSeen` moves on. */
  touch(connection: ChatConnection): void {
    connection.lastActivity = Date.now();
    if (connection.sessionId !== undefined) this.store.touch(connection.sessionId);
  }

  /** Removes the socket's row (waiting for it, when it is still being written). */
  async close(connection: ChatConnection): Promise<void> {
    const sessionId = connection.sessionId ?? (await connection.session?.catch(() => undefined));
    if (sessionId !== undefined) await this.store.close(sessionId);
  }

  private check(): void {
    const now = Date.now();
    for (const connection of this.sockets.byId.values()) {
      if (now - connection.lastActivity > this.inactivityMs) connection.close(WS_CODES.sessionExpired, 'Session expired: no heartbeat');
    }
    // One sweep at a time; expired rows are swept even when writing the heartbeats failed.
    if (this.sweeping) return;
    const report = (error: unknown) => this.logger.error('session upkeep failed', error);
    this.sweeping = this.store
      .flush()
      .catch(report)
      .then(async () => void (await this.store.expire(this.inactivityMs / 1000, (await this.liveNodes())?.filter(node => node !== this.nodeId))))
      .catch(report)
      .finally(() => (this.sweeping = undefined));
  }
}
