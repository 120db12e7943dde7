/**
 * Reads every app's migration files, through a cache of what each file declares keyed by its
 * size and modification time: an unchanged file is never parsed twice. The TypeScript compiler
 * is loaded only when a file must be parsed.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from './atomic-write.js';
import type { ReadMigration } from './loader.js';
import { loadTypeScript, type LoadedTypeScript } from './load-typescript.js';
import { listMigrationFiles } from './migration-files.js';
import { migrationNameOf, parseMigration } from './parse.js';
import type { ProjectFacts } from './project.js';
import { packageVersion } from './project-facts.js';
import type { MigrationDeclaration, ParseFailure } from './types.js';
import type { SwapToken } from '../swappable/tokens.js';

const CACHE_VERSION = 3;

/**
 * A cached declaration, in few objects and without the file name repeated (it is the key): on
 * tens of thousands of files, the cache's size is the warm run's cost.
 */
type CompactDependency = [app: string, name: string, line: number, start: number] | [token: string, line: number];
type CompactSql = [createsTables: string[], createsNames: string[], needsTables: string[], needsNames: string[], dynamicLine?: number];
interface CacheEntry {
  readonly s: number;
  readonly m: number;
  /** A declaration: app, class, line of app, dependencies, SQL facts. */
  readonly d?: [app: string, className: string, appLine: number, dependencies: CompactDependency[], sql: CompactSql, swaps?: SwapToken[]];
  /** A parse failure: line, column, message. */
  readonly f?: [line: number, column: number, message: string];
}

function compact(size: number, mtimeMs: number, result: MigrationDeclaration | ParseFailure): CacheEntry {
  if ('message' in result) return { s: size, m: mtimeMs, f: [result.line, result.column, result.message] };
  const deps = result.dependencies.map((d): CompactDependency => (d.kind === 'migration' ? [d.app, d.name, d.at.line, d.nameSpan.start] : [d.token, d.at.line]));
  const { createsTables, createsNames, needsTables, needsNames, dynamicAt } = result.sql;
  const sql: CompactSql = [createsTables as string[], createsNames as string[], needsTables as string[], needsNames as string[]];
  if (dynamicAt) sql.push(dynamicAt.line);
  const d: NonNullable<CacheEntry['d']> = [result.app, result.className, result.appAt.line, deps, sql];
  if (result.swaps) d.push([...result.swaps]);
  return { s: size, m: mtimeMs, d };
}

function expand(file: string, entry: CacheEntry): MigrationDeclaration | ParseFailure {
  if (entry.f) return { file, line: entry.f[0], column: entry.f[1], message: entry.f[2] };
  const [app, className, appLine, deps, sql, swaps] = entry.d!;
  return {
    app,
    name: migrationNameOf(file),
    file,
    className,
    appAt: { file, line: appLine },
    dependencies: deps.map(d =>
      d.length === 4
        ? { kind: 'migration' as const, app: d[0], name: d[1], at: { file, line: d[2] }, nameSpan: { start: d[3], end: d[3] + d[1].length } }
        : { kind: 'swappable' as const, token: d[0] as SwapToken, at: { file, line: d[1] } },
    ),
    sql: {
      createsTables: sql[0],
      createsNames: sql[1],
      needsTables: sql[2],
      needsNames: sql[3],
      ...(sql[4] !== undefined ? { dynamicAt: { file, line: sql[4] } } : {}),
    },
    ...(swaps ? { swaps } : {}),
  };
}

interface DeclarationCache {
  version: number;
  /** The package's version: another version may read files differently. */
  packageVersion?: string;
  entries: Record<string, CacheEntry>;
}

/** How the scan went, for benchmarks and `--verbose`. */
export interface ScanStats {
  files: number;
  parsed: number;
}

/** The labels of the apps whose migrations folder is not there. */
export function missingFolders(facts: ProjectFacts): Set<string> {
  return new Set(facts.apps.filter(app => !existsSync(app.dir)).map(app => app.label));
}

/** Reads every app's migrations; `cacheFile` undefined disables the cache. */
export async function scanMigrations(facts: ProjectFacts, cacheFile: string | undefined, stats: ScanStats = { files: 0, parsed: 0 }): Promise<ReadMigration[]> {
  const cache = cacheFile ? readCache(cacheFile) : { version: CACHE_VERSION, entries: {} };
  const next: DeclarationCache = { version: CACHE_VERSION, packageVersion: packageVersion(), entries: {} };
  let compiler: LoadedTypeScript | undefined;
  const out: ReadMigration[] = [];
  for (const app of facts.apps) {
    for (const file of listMigrationFiles(app.dir)) {
      stats.files++;
      const stat = statSync(file);
      const cached = cache.entries[file];
      if (cached && cached.s === stat.size && cached.m === stat.mtimeMs) {
        next.entries[file] = cached;
        out.push({ folderApp: app.label, result: expand(file, cached) });
        continue;
      }
      compiler ??= await loadTypeScript(cacheFile && dirname(cacheFile));
      stats.parsed++;
      const result = parseMigration(compiler.ts, file, readFileSync(file, 'utf8'));
      next.entries[file] = compact(stat.size, stat.mtimeMs, result);
      out.push({ folderApp: app.label, result });
    }
  }
  compiler?.saveCodeCache();
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
