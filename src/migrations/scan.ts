/**
 * Reads every app's migration files, through a cache of what each file declares keyed by its
 * content (recognised by size and modification time without reading it): an unchanged file is
 * never parsed twice, in this checkout or in another that shares the cache. A file is read by the quick
 * reader when it has the common shape, and the TypeScript compiler is loaded only for the others;
 * the package's own migrations come with their declarations.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from './atomic-write.js';
import type { ReadMigration } from './loader.js';
import { loadTypeScript, type LoadedTypeScript } from './load-typescript.js';
import { compact, expand, type DeclarationRecord } from './declaration-record.js';
import { parseMigration } from './parse.js';
import { listProject, type ListedFile } from './project-listing.js';
import type { ProjectFacts } from './project.js';
import { packageVersion } from './project-facts.js';
import { quickParseMigration } from './quick-parse.js';
import { FilesReadAhead } from './read-ahead.js';
import { readFileWithStat } from './read-file.js';
import { shippedDeclarations } from './shipped-declarations.js';
import { PACKAGE_APP, type MigrationDeclaration, type ParseFailure } from './types.js';

const CACHE_VERSION = 4;

interface DeclarationCache {
  version: number;
  /** The package's version: another version may read files differently. */
  packageVersion?: string;
  /** By path from the config's folder (a copy of the cache serves another checkout). */
  entries: Record<string, DeclarationRecord>;
}

/** How the scan went, for benchmarks and `--verbose`. */
export interface ScanStats {
  files: number;
  /** Files read this run (the rest came from the cache). */
  parsed: number;
  /** Of those, the files only the TypeScript compiler could read. */
  compiled: number;
}

/** A listed file, and the cache's entry for it (if any). */
interface Found {
  readonly listed: ListedFile;
  /** The cache's entry, when the file still has its size. */
  readonly cached?: DeclarationRecord;
  /** Whether it still has its time too: nothing to read. */
  readonly unchanged?: boolean;
}

/** How `scanMigrations` reads; for tests. */
export interface ScanOptions {
  /** From this many files to read on, they are read on a worker thread (see read-ahead.ts). */
  readonly readAheadFrom?: number;
}

/** Reads every app's migrations (`listing`: as `listProject` found them); `cacheFile` undefined disables the cache. */
export async function scanMigrations(
  facts: ProjectFacts,
  cacheFile: string | undefined,
  stats: ScanStats = { files: 0, parsed: 0, compiled: 0 },
  options: ScanOptions = {},
  listing: readonly ListedFile[] = listProject(facts, cacheFile !== undefined),
): Promise<ReadMigration[]> {
  const cache = cacheFile ? readCache(cacheFile) : { version: CACHE_VERSION, entries: {} };
  const next: DeclarationCache = { version: CACHE_VERSION, packageVersion: packageVersion(), entries: {} };
  // Whether entries changed (a fresh checkout's new times), so the cache is written even if nothing was parsed.
  let touched = false;
  // A known file is recognised by its size and time; with another time (a fresh checkout), by its content, read below.
  const found = listing.map((listed): Found => {
    const cached = cacheFile ? cache.entries[listed.key] : undefined;
    return cached && listed.size === cached.s ? { listed, cached, unchanged: listed.mtimeMs === cached.m } : { listed };
  });
  const packageDir = facts.apps.find(app => app.label === PACKAGE_APP)?.dir;
  const shipped = packageDir === undefined ? undefined : shippedDeclarations(packageDir);
  stats.files += found.length;
  // The files the cache does not know, read ahead of their parsing.
  const hash = cacheFile !== undefined;
  const ahead = new FilesReadAhead(
    found.filter(f => !f.cached).map(f => f.listed.file),
    hash,
    options.readAheadFrom,
  );
  let compiler: LoadedTypeScript | undefined;
  const out: ReadMigration[] = [];
  try {
    for (const { listed, cached, unchanged } of found) {
      const { app, file, key } = listed;
      if (cached && unchanged) {
        next.entries[key] = cached;
        out.push({ folderApp: app, result: expand(file, cached) });
        continue;
      }
      const read = cached ? readFileWithStat(file, hash) : await ahead.next();
      // Another time (a fresh checkout), the same content: the entry holds.
      if (cached && read.size === cached.s && read.sha1 === cached.h) {
        touched = true;
        next.entries[key] = { ...cached, m: read.mtimeMs };
        out.push({ folderApp: app, result: expand(file, cached) });
        continue;
      }
      stats.parsed++;
      const text = read.bytes.toString('utf8');
      let result: MigrationDeclaration | ParseFailure | undefined = (app === PACKAGE_APP ? shipped?.(file, text) : undefined) ?? quickParseMigration(file, text);
      if (!result) {
        compiler ??= await loadTypeScript(cacheFile && dirname(cacheFile));
        stats.compiled++;
        result = parseMigration(compiler.ts, file, text);
      }
      if (cacheFile) next.entries[key] = compact({ size: read.size, mtimeMs: read.mtimeMs, sha1: read.sha1 }, result);
      out.push({ folderApp: app, result });
    }
  } finally {
    await ahead.close();
  }
  compiler?.saveCodeCache();
  if (cacheFile && (stats.parsed > 0 || touched || Object.keys(cache.entries).length !== Object.keys(next.entries).length)) {
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
    if (data.version === CACHE_VERSION && data.packageVersion === packageVersion() && data.entries) return data;
  } catch {
    // missing or unreadable: start over
  }
  return { version: CACHE_VERSION, entries: {} };
}

/** Forgets what the cache says of some files (after the tool rewrote them). */
export function cacheFileName(dir: string): string {
  return join(dir, 'declarations.json');
}
