/**
 * Where the data lives: the PostgreSQL server at `DATABASE_URL` when one is given, else the
 * embedded PGlite (real PostgreSQL compiled to WebAssembly: no server to install).
 */
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { PGliteDriver } from 'mikro-orm-pglite';
import type { Options } from '@mikro-orm/core';

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
export function databaseOptions(target: DatabaseTarget): Options {
  if (target.url) {
    return { driver: PostgreSqlDriver, clientUrl: target.url };
  }
  const dataDir = target.dataDir;
  return {
    driver: PGliteDriver as unknown as Options['driver'],
    // PGlite has one database; its location is the data directory given to the factory.
    dbName: 'postgres',
    driverOptions: { connection: { pglite: () => (dataDir ? new PGlite(ensureDirectory(dataDir)) : new PGlite()) } },
  } as Options;
}

/** A data directory on disk is created with its parents (PGlite creates only the last one); `memory://`, `idb://`… are left alone. */
function ensureDirectory(dataDir: string): string {
  if (!dataDir.includes('://')) mkdirSync(dataDir, { recursive: true });
  return dataDir;
}
