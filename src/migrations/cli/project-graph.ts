/** Reads the project the way every command needs it: facts (cached), migration files (cached), graph. */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { cacheDirFor } from '../cache-dir.js';
import { CliError } from '../cli-error.js';
import { relativeTo } from '../paths.js';
import { buildGraph, type LoadedGraph } from '../loader.js';
import { projectFacts } from '../project-facts.js';
import type { ProjectFacts } from '../project.js';
import { cacheFileName, missingFolders, scanMigrations, type ScanStats } from '../scan.js';

/** The config file a command works on. */
export function configFileOf(config: string | undefined, cwd: string): string {
  if (config) {
    const file = resolve(cwd, config);
    if (!existsSync(file)) throw CliError.config(`--config ${config}: no such file`);
    return file;
  }
  for (const name of ['mikro-orm.config.ts', 'mikro-orm.config.js', 'mikro-orm.config.mjs']) {
    const file = resolve(cwd, name);
    if (existsSync(file)) return file;
  }
  throw CliError.config(`no mikro-orm.config.ts in ${cwd}: run chat-migrate in your project's folder, or pass --config <file>`);
}

/** A project, read. */
export interface ProjectGraph extends LoadedGraph {
  readonly facts: ProjectFacts;
  /** Whether the facts came from the cache (else the config was loaded). */
  readonly factsFromCache: boolean;
  readonly stats: ScanStats;
}

/** Reads the project's facts and migrations and builds the graph. */
export async function readProjectGraph(configFile: string, cache: boolean): Promise<ProjectGraph> {
  const dir = cache ? cacheDirFor(configFile) : undefined;
  const { facts, fromCache } = await projectFacts(configFile, dir && join(dir, 'project.json'));
  const stats: ScanStats = { files: 0, parsed: 0, compiled: 0 };
  const files = await scanMigrations(facts, dir && cacheFileName(dir), stats);
  return { facts, factsFromCache: fromCache, stats, ...buildGraph(facts, files, missingFolders(facts)) };
}

/** The `--verbose` line: where the facts came from and how the migration files were read. */
export function describeRead(project: ProjectGraph): string {
  const { files, parsed, compiled } = project.stats;
  return (
    `${project.factsFromCache ? 'config facts from the cache' : `loaded ${relativeTo(process.cwd(), project.facts.configFile)}`}; ` +
    `read ${files} migration files, parsed ${parsed} (${compiled} with the TypeScript compiler; the rest from the cache)`
  );
}
