/**
 * Where the data lives: the PostgreSQL server at `DATABASE_URL` when one is given, else the
 * embedded PGlite (real PostgreSQL compiled to WebAssembly: no server to install). PGlite and its
 * MikroORM driver are imported only for the embedded database (a quarter of a second at start).
 */
import { mkdirSync } from 'node:fs';
import type { PGlite } from '@electric-sql/pglite';
import { postgresql } from './postgresql.js';
import type { Options } from '@mikro-orm/core';
import { lockDataDir } from './data-dir-lock.js';

/** Which database to use. */
export interface DatabaseTarget {
  /** A PostgreSQL connection URL; when set, the server is used. */
  readonly url?: string;
  /** PGlite data directory; omitted means an in-memory database. Ignored when `url` is set. */
  readonly dataDir?: string;
}

/** The database target of the environment: `DATABASE_URL` if set, else PGlite at `dataDir` (default in memory). */
export function databaseFromEnv(dataDir?: string): DatabaseTarget {
  const url = process.env.DATABASE_URL?.trim();
  return url ? { url } : { dataDir };
}

/** Whether a target is the embedded database. */
export function isEmbedded(target: DatabaseTarget): boolean {
  return !target.url;
}

/** MikroORM connection options for a target. */
export async function databaseOptions(target: DatabaseTarget): Promise<Options> {
  if (target.url) {
    return { driver: postgresql.PostgreSqlDriver, clientUrl: target.url };
  }
  const dataDir = target.dataDir;
  const [{ PGlite }, { ChatPGliteDriver }] = await Promise.all([import('@electric-sql/pglite'), import('./pglite-driver.js')]);
  return {
    driver: ChatPGliteDriver as unknown as Options['driver'],
    // PGlite has one database; its location is the data directory given to the factory.
    dbName: 'postgres',
    driverOptions: { connection: { pglite: () => (dataDir ? openDataDir(PGlite, dataDir) : new PGlite()) } },
  } as Options;
}

/** PGlite on a data directory, locked against a second opener until it is closed. */
function openDataDir(PGlite: typeof import('@electric-sql/pglite').PGlite, dataDir: string): PGlite {
  // `file://` names a directory too; `memory://`, `idb://`… are not on this disk.
  const directory = dataDir.startsWith('file://') ? dataDir.slice('file://'.length) : dataDir;
  if (directory.includes('://')) return new PGlite(dataDir);
  mkdirSync(directory, { recursive: true }); // PGlite creates only the last level
  const lock = lockDataDir(directory);
  let db: PGlite;
  try {
    db = new PGlite(dataDir);
  } catch (error) {
    lock.release();
    throw error;
  }
  // PGlite reports a failed start through waitReady: the lock goes with it.
  db.waitReady.catch(() => lock.release());
  const close = db.close.bind(db);
  db.close = async () => {
    try {
      await close();
    } finally {
      lock.release();
    }
  };
  return db;
}
