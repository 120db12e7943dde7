/** Reads the project the way every command needs it: facts (cached), migration files (cached), graph. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { cacheDirFor } from '../cache-dir.js';
import { CliError } from '../cli-error.js';
import { buildGraph, type LoadedGraph } from '../loader.js';
import { projectFacts } from '../project-facts.js';
import type { ProjectFacts } from '../project.js';
import { cacheFileName, missingFolders, scanMigrations, type ScanStats } from '../scan.js';
import { join } from 'node:path';

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
  readonly stats: ScanStats;
}

/** Reads the project's facts and migrations and builds the graph. */
export async function readProjectGraph(configFile: string, cache: boolean): Promise<ProjectGraph> {
  const dir = cache ? cacheDirFor(configFile) : undefined;
  const facts = await projectFacts(configFile, dir && join(dir, 'project.json'));
  const stats: ScanStats = { files: 0, parsed: 0, compiled: 0 };
  const files = await scanMigrations(facts, dir && cacheFileName(dir), stats);
  return { facts, stats, ...buildGraph(facts, files, missingFolders(facts)) };
}
