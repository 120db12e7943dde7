/**
 * Session rows (the configured `Session` model): one per socket, named `<node>:<socket>` after the
 * process that holds it, its `lastSeen` refreshed by the client's heartbeats in batches, removed
 * when the socket closes, and swept when its process died (its lease lapsed) or, where no lease
 * is kept, when it expired.
 */
import type { MikroORM } from '@mikro-orm/core';
import type { AbstractUser } from '../entities/user.js';
import { namesOfModel } from '../engine/sql-names.js';
import { sql } from '../permissions/membership.js';
import { model } from '../swappable/registry.js';
import { Batched } from '../orm/batched.js';
import { newEntity } from '../orm/new-entity.js';
import { entityRow } from '../engine/entity-row.js';
import { insertRows } from '../engine/insert-rows.js';

/** Sessions written or deleted per statement (new ones by `open`, closed ones by `close`). */
const FLUSH_CHUNK = 1000;

export class SessionStore {
  private touched = new Set<number>();
  /** The sessions of this process's open sockets: the sweep never takes their rows. */
  private readonly live = new Map<number, { readonly userId: string; readonly channelName: string }>();
  /** Sessions waiting for their row, by channel name. */
  private readonly users = new Map<string, string>();
  private readonly inserts = new Batched<string, number>(channelNames => this.insert(channelNames), FLUSH_CHUNK);
  private readonly deletes = new Batched<number, true>(ids => this.remove(ids), FLUSH_CHUNK);

  constructor(private readonly orm: MikroORM) {}

  /**
   * Stores the session of a new socket; returns its id. Sockets opening together share one INSERT
   * (a thousand reconnecting clients are a statement or two, not a thousand).
   */
  async open(user: AbstractUser, channelName: string): Promise<number> {
    this.users.set(channelName, user.id);
    try {
      const id = await this.inserts.get(channelName);
      if (id === undefined) throw new Error(`the session row of ${channelName} was not stored`);
      return id;
    } finally {
      this.users.delete(channelName);
    }
  }

  private async insert(channelNames: string[]): Promise<Map<string, number>> {
    const em = this.orm.em.fork();
    // Through the configured model's metadata: a swapped Session's own defaults are written too.
    const now = new Date();
    const rows = channelNames.map(channelName => entityRow(em, newEntity(em, model('Session'), { user: this.users.get(channelName)!, channelName, lastSeen: now })));
    const ids = await insertRows(em, rows, namesOfModel(em, 'Session').id);
    const out = new Map<string, number>();
    channelNames.forEach((channelName, i) => {
      const id = Number(ids[i]);
      this.live.set(id, { userId: this.users.get(channelName)!, channelName });
      out.set(channelName, id);
    });
    return out;
  }

  /** Marks a session seen now (written by the next `flush`). */
  touch(sessionId: number): void {
    this.touched.add(sessionId);
  }

  /**
   * Writes the `lastSeen` of every session touched since the last flush, in one statement: the ids
   * go as one array value (ten thousand pongs are one parameter, not ten thousand literals for the
   * query builder to expand and PostgreSQL to parse, every few seconds).
   */
  async flush(): Promise<void> {
    if (this.touched.size === 0) return;
    const ids = [...this.touched];
    this.touched = new Set();
    const em = this.orm.em.fork();
    const session = namesOfModel(em, 'Session');
    await sql(em, `update ${session.table} set ${session.column('lastSeen')} = ? where ${session.id} = any(?::bigint[])`, [new Date(), `{${ids.join(',')}}`]);
  }

  /** Removes the session of a closed socket. Sockets closing together (a deploy, a dead network) share one DELETE. */
  async close(sessionId: number): Promise<void> {
    this.touched.delete(sessionId);
    this.live.delete(sessionId);
    await this.deletes.get(sessionId);
  }

  private async remove(ids: number[]): Promise<Map<number, true>> {
    await this.orm.em.fork().nativeDelete(model('Session'), { id: { $in: ids } });
    return new Map(ids.map(id => [id, true]));
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
