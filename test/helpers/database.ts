/**
 * An isolated database per test file: a fresh database on the server at `DATABASE_URL`, or a
 * fresh in-memory PGlite. Files run in parallel without seeing each other's rows.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { DatabaseTarget } from '../../src/index.js';

/** A database made for one test file, and how to get rid of it. */
export interface TestDatabase {
  readonly target: DatabaseTarget;
  readonly kind: 'postgresql' | 'pglite';
  drop(): Promise<void>;
}

/** Creates an empty database for one test file. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.DATABASE_URL?.trim();
  if (!serverUrl) return { target: {}, kind: 'pglite', drop: async () => {} };
  const name = `rcm_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(serverUrl, `create database "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    target: { url: url.toString() },
    kind: 'postgresql',
    drop: () => adminQuery(serverUrl, `drop database if exists "${name}" with (force)`),
  };
}

async function adminQuery(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
