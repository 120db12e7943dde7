/**
 * Reads every app's migration files, through a cache of what each file declares keyed by its
 * size and modification time: an unchanged file is never parsed twice. The TypeScript compiler
 * is loaded only when a file must be parsed.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic-write.js';
import type { ReadMigration } from './loader.js';
import { parseMigration } from './parse.js';
import type { ProjectFacts } from './project.js';
import type { MigrationDeclaration, ParseFailure } from './types.js';

const CACHE_VERSION = 1;
const MIGRATION_FILE = /^(?!.*\.d\.[cm]?ts$)[^.].*\.(ts|mts|cts|js|mjs|cjs)$/;

interface CacheEntry {
  readonly size: number;
  readonly mtimeMs: number;
  readonly result: MigrationDeclaration | ParseFailure;
}

interface DeclarationCache {
  version: number;
  entries: Record<string, CacheEntry>;
}

/** How the scan went, for benchmarks and `--verbose`. */
export interface ScanStats {
  files: number;
  parsed: number;
}

/** The migration files of a folder (missing folder: none), sorted. */
export function listMigrationFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return names.filter(name => MIGRATION_FILE.test(name)).sort().map(name => join(dir, name));
}

/** Reads every app's migrations; `cacheFile` undefined disables the cache. */
export async function scanMigrations(facts: ProjectFacts, cacheFile: string | undefined, stats: ScanStats = { files: 0, parsed: 0 }): Promise<ReadMigration[]> {
  const cache = cacheFile ? readCache(cacheFile) : { version: CACHE_VERSION, entries: {} };
  const next: DeclarationCache = { version: CACHE_VERSION, entries: {} };
  let ts: typeof import('typescript') | undefined;
  const out: ReadMigration[] = [];
  for (const app of facts.apps) {
    for (const file of listMigrationFiles(app.dir)) {
      stats.files++;
      const stat = statSync(file);
      const cached = cache.entries[file];
      let entry: CacheEntry;
      if (cached && cached.size === stat.size && cached.mtimeMs === stat.mtimeMs) {
        entry = cached;
      } else {
        ts ??= (await import('typescript')).default;
        stats.parsed++;
        entry = { size: stat.size, mtimeMs: stat.mtimeMs, result: parseMigration(ts, file, readFileSync(file, 'utf8')) };
      }
      next.entries[file] = entry;
      out.push({ folderApp: app.label, result: entry.result });
    }
  }
  if (cacheFile && (stats.parsed > 0 || Object.keys(cache.entries).length !== Object.keys(next.entries).length)) {
    try {
      writeFileAtomic(cacheFile, JSON.stringify(next));
    } catch {
      // A cache that cannot be written only costs time.
    }
  }
  return out;
}

function readCache(file: string): DeclarationCache {
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as DeclarationCache;
    if (data.version === CACHE_VERSION && data.entries) return data;
  } catch {
    // missing or unreadable: start over
  }
  return { version: CACHE_VERSION, entries: {} };
}

/** Forgets what the cache says of some files (after the tool rewrote them). */
export function cacheFileName(dir: string): string {
  return join(dir, 'declarations.json');
}
