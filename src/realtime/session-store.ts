/**
 * Session rows (the configured `Session` model): one per socket, named `<node>:<socket>` after the
 * process that holds it, its `lastSeen` refreshed by the client's heartbeats in batches, removed
 * when the socket closes, and swept when its process died (its lease lapsed) or, where no lease
 * is kept, when it expired.
 */
import type { MikroORM } from '@mikro-orm/core';
import type { AbstractSession } from '../entities/session.js';
import type { AbstractUser } from '../entities/user.js';
import { namesOfModel } from '../engine/sql-names.js';
import { sql } from '../permissions/membership.js';
import { model } from '../swappable/registry.js';

/** Sessions written per statement (by `flush`, and new ones by `open`). */
const FLUSH_CHUNK = 1000;

/** A session waiting for its row. */
interface Opening {
  readonly user: AbstractUser;
  readonly channelName: string;
  resolve(id: number): void;
  reject(error: unknown): void;
}

export class SessionStore {
  private touched = new Set<number>();
  /** The sessions of this process's open sockets: the sweep never takes their rows. */
  private readonly live = new Map<number, { readonly userId: string; readonly channelName: string }>();
  private opening: Opening[] = [];

  constructor(private readonly orm: MikroORM) {}

  /**
   * Stores the session of a new socket; returns its id. Sockets opening in the same tick share one
   * INSERT (a thousand reconnecting clients are a statement or two, not a thousand transactions).
   */
  open(user: AbstractUser, channelName: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.opening.push({ user, channelName, resolve, reject });
      if (this.opening.length === 1) setImmediate(() => void this.insertOpening());
    });
  }

  private async insertOpening(): Promise<void> {
    const batch = this.opening;
    this.opening = [];
    for (let at = 0; at < batch.length; at += FLUSH_CHUNK) {
      const chunk = batch.slice(at, at + FLUSH_CHUNK);
      try {
        const em = this.orm.em.fork();
        const sessions = chunk.map(o => em.create(model('Session'), { user: o.user.id, channelName: o.channelName, lastSeen: new Date() } as never, { persist: false }));
        const ids = (await em.insertMany(sessions)) as number[];
        chunk.forEach((o, i) => {
          this.live.set(Number(ids[i]), { userId: o.user.id, channelName: o.channelName });
          o.resolve(Number(ids[i]));
        });
      } catch (error) {
        for (const o of chunk) o.reject(error);
      }
    }
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
    this.live.delete(sessionId);
    await this.orm.em.fork().nativeDelete(model('Session'), { id: sessionId } as never);
  }

  /**
   * Deletes every session not seen for `thresholdSeconds` (a process that died, a socket that went
   * quiet elsewhere), never one of this process's open sockets nor one of a node in `liveNodes`
   * (a live process closes its own quiet sockets); returns how many.
   */
  async expire(thresholdSeconds: number, liveNodes: readonly string[] = []): Promise<number> {
    const before = new Date(Date.now() - thresholdSeconds * 1000);
    const em = this.orm.em.fork();
    const session = namesOfModel(em, 'Session');
    const channel = session.column('channelName');
    // The open sockets' ids as one array parameter: ten thousand of them are one value, not ten thousand.
    const rows = await sql<{ id: unknown }>(
      em,
      `delete from ${session.table} where ${session.column('lastSeen')} < ? and ${session.id} <> all(?::bigint[])` +
        ` and split_part(${channel}, ':', 1) <> all(?::text[]) returning ${session.id} as id`,
      [before, `{${[...this.live.keys()].join(',')}}`, textArray(liveNodes)],
    );
    return rows.length;
  }

  /** Deletes every session of a node that died (its lease lapsed); returns how many. */
  async sweepNode(nodeId: string): Promise<number> {
    const em = this.orm.em.fork();
    const session = namesOfModel(em, 'Session');
    const rows = await sql<{ id: unknown }>(em, `delete from ${session.table} where split_part(${session.column('channelName')}, ':', 1) = ? returning ${session.id} as id`, [nodeId]);
    return rows.length;
  }

  /**
   * Writes back the rows of this process's open sockets that are missing: after its lease lapsed
   * (a frozen process taken for dead), another node may have swept them.
   */
  async restore(): Promise<void> {
    const em = this.orm.em.fork();
    const session = namesOfModel(em, 'Session');
    const rows = [...this.live];
    for (let at = 0; at < rows.length; at += FLUSH_CHUNK) {
      const chunk = rows.slice(at, at + FLUSH_CHUNK);
      await sql(
        em,
        `insert into ${session.table} (${session.id}, ${session.column('user')}, ${session.column('channelName')}, ${session.column('lastSeen')})` +
          ` values ${chunk.map(() => '(?, ?, ?, now())').join(', ')} on conflict (${session.id}) do nothing`,
        chunk.flatMap(([id, row]) => [id, row.userId, row.channelName]),
      );
    }
  }

}

/** A PostgreSQL array literal of text values (ids: no quotes or commas to escape, but quoted anyway). */
function textArray(values: readonly string[]): string {
  return `{${values.map(value => `"${value.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
}
