/**
 * The engine's hottest statements (a send, a history page), run as named prepared statements on
 * PostgreSQL: the server parses and plans each one once per connection, and only the values go
 * over the wire afterwards, instead of a few kilobytes of SQL every time. Outside a transaction
 * only (they commit on their own); elsewhere (the embedded database, inside a transaction) they
 * run as any other statement.
 */
import { createHash } from 'node:crypto';
import { DriverException, type EntityManager } from '@mikro-orm/core';
import type { AbstractSqlConnection } from '@mikro-orm/postgresql';
import pg from 'pg';
import { sql } from '../permissions/membership.js';

/** `?` placeholders as PostgreSQL's `$1`, `$2`… (the engine's statements hold no `?` in literals). */
function numbered(text: string): string {
  let n = 0;
  return text.replace(/\?/g, () => `$${++n}`);
}

const names = new Map<string, { name: string; text: string }>();

/** Runs `text` (`?` placeholders) with `params`, prepared once per connection where it can be. */
export async function preparedSql<T>(em: EntityManager, text: string, params: readonly unknown[]): Promise<T[]> {
  const knex = (em.getConnection() as AbstractSqlConnection).getKnex();
  if (em.getTransactionContext()) return sql<T>(em, text, params);
  const client: unknown = await knex.client.acquireConnection();
  if (!(client instanceof pg.Client)) {
    await knex.client.releaseConnection(client);
    return sql<T>(em, text, params);
  }
  let statement = names.get(text);
  if (!statement) {
    statement = { name: `rcm_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`, text: numbered(text) };
    names.set(text, statement);
  }
  try {
    const result = await client.query({ ...statement, values: [...params] });
    // Rows of hand-written SQL: the statement, not the type system, says what they hold.
    return result.rows as T[];
  } catch (error) {
    throw error instanceof Error && !(error instanceof DriverException) ? em.getDriver().convertException(error) : error;
  } finally {
    await knex.client.releaseConnection(client);
  }
}
