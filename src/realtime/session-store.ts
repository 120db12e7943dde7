/**
 * Session rows (the configured `Session` model): one per socket, its `lastSeen` refreshed by the
 * client's heartbeats in batches, removed when the socket closes, and swept when it expired
 * (a socket that went quiet past the inactivity threshold, or one of a process that died).
 */
import type { MikroORM } from '@mikro-orm/core';
import type { AbstractSession } from '../entities/session.js';
import type { AbstractUser } from '../entities/user.js';
import { model } from '../swappable/registry.js';

/** Sessions written per statement by `flush`. */
const FLUSH_CHUNK = 1000;

export class SessionStore {
  private touched = new Set<number>();

  constructor(private readonly orm: MikroORM) {}

  /** Stores the session of a new socket; returns its id. */
  async open(user: AbstractUser, channelName: string): Promise<number> {
    const em = this.orm.em.fork();
    const session = em.create(model('Session'), { user: user.id, channelName, lastSeen: new Date() } as never) as AbstractSession;
    await em.flush();
    return session.id;
  }

  /** Marks a session seen now (written by the next `flush`). */
  touch(sessionId: number): void {
    this.touched.add(sessionId);
  }

  /**
   * Writes the `lastSeen` of every session touched since the last flush, a thousand sessions per
   * statement (ten thousand pongs stay well under PostgreSQL's parameter limit).
   */
  async flush(): Promise<void> {
    if (this.touched.size === 0) return;
    const ids = [...this.touched];
    this.touched = new Set();
    const em = this.orm.em.fork();
    const now = new Date();
    for (let at = 0; at < ids.length; at += FLUSH_CHUNK) {
      await em.nativeUpdate(model('Session'), { id: { $in: ids.slice(at, at + FLUSH_CHUNK) } } as never, { lastSeen: now } as never);
    }
  }

  async close(sessionId: number): Promise<void> {
    this.touched.delete(sessionId);
    await this.orm.em.fork().nativeDelete(model('Session'), { id: sessionId } as never);
  }

  /** Deletes every session not seen for `thresholdSeconds`; returns how many. */
  async expire(thresholdSeconds: number): Promise<number> {
    const before = new Date(Date.now() - thresholdSeconds * 1000);
    return this.orm.em.fork().nativeDelete(model('Session'), { lastSeen: { $lt: before } } as never);
  }
}
