/** A database of its own for one benchmark run, on the PostgreSQL server at DATABASE_URL (default the local test server). */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

const SERVER_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Creates a database, runs `work` with its URL, and drops it. */
export async function withDatabase<T>(work: (url: string) => Promise<T>): Promise<T> {
  const name = `rcm_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: SERVER_URL });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  try {
    const url = new URL(SERVER_URL);
    url.pathname = `/${name}`;
    return await work(url.toString());
  } finally {
    await admin.query(`drop database if exists "${name}" with (force)`);
    await admin.end();
  }
}
