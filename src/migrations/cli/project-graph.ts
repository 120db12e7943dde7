/** Reads the project the way every command needs it: facts (cached), migration files (cached), graph. */
import { relativeTo } from '../paths.js';
import { buildGraph, type LoadedGraph } from '../loader.js';
import type { ProjectFacts } from '../project.js';
import { cacheFileName, scanMigrations, type ScanStats } from '../scan.js';
import { listProjectFiles, type ProjectFiles } from './project-files.js';

/** A project, read. */
export interface ProjectGraph extends LoadedGraph {
  readonly facts: ProjectFacts;
  /** Whether the facts came from the cache (else the config was loaded). */
  readonly factsFromCache: boolean;
  readonly stats: ScanStats;
}

/** Reads the listed migration files (cached) and builds the graph. */
export async function graphOf(project: ProjectFiles): Promise<ProjectGraph> {
  const { facts, cacheDir } = project;
  const stats: ScanStats = { files: 0, parsed: 0, compiled: 0 };
  const files = await scanMigrations(facts, cacheDir && cacheFileName(cacheDir), stats, {}, project.listing);
  return { facts, factsFromCache: project.factsFromCache, stats, ...buildGraph(facts, files, project.missing) };
}

/** Reads the project's facts and migrations and builds the graph. */
export async function readProjectGraph(configFile: string, cache: boolean): Promise<ProjectGraph> {
  return graphOf(await listProjectFiles(configFile, cache));
}

/** The `--verbose` line: where the facts came from and how the migration files were read. */
export function describeRead(project: ProjectGraph): string {
  const { files, parsed, compiled } = project.stats;
  return (
    `${project.factsFromCache ? 'config facts from the cache' : `loaded ${relativeTo(process.cwd(), project.facts.configFile)}`}; ` +
    `read ${files} migration files, parsed ${parsed} (${compiled} with the TypeScript compiler; the rest from the cache)`
  );
}
