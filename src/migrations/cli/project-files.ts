/**
 * What every command reads first: the config file, the project's facts (cached) and the list of its
 * migration files with their sizes and times. Kept apart from reading the files and building the
 * graph, so that a command answered from the cache loads none of that.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { cacheDirFor } from '../cache-dir.js';
import { CliError } from '../cli-error.js';
import { projectFacts } from '../project-facts.js';
import type { ProjectFacts } from '../project.js';
import { listProject, missingFolders, type ListedFile } from '../project-listing.js';

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

/** A project's facts and the migration files it has: all a graph is built from, before any file is read. */
export interface ProjectFiles {
  readonly facts: ProjectFacts;
  readonly factsFromCache: boolean;
  /** The cache folder (none with --no-cache). */
  readonly cacheDir: string | undefined;
  /** The labels of the apps whose migrations folder is not there. */
  readonly missing: ReadonlySet<string>;
  readonly listing: readonly ListedFile[];
  /** When the files were listed (`Date.now()`). */
  readonly listedAt: number;
}

/** Reads the project's facts (cached) and lists its migration files. */
export async function listProjectFiles(configFile: string, cache: boolean): Promise<ProjectFiles> {
  const cacheDir = cache ? cacheDirFor(configFile) : undefined;
  const { facts, fromCache } = await projectFacts(configFile, cacheDir && join(cacheDir, 'project.json'));
  const listedAt = Date.now();
  return { facts, factsFromCache: fromCache, cacheDir, missing: missingFolders(facts), listing: listProject(facts, cacheDir !== undefined), listedAt };
}
