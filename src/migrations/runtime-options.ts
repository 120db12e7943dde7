/**
 * The migration part of the MikroORM options `chatOrmConfig` builds: every app's migrations
 * imported and ordered into `migrationsList` (the package's first), the graph and its problems
 * recorded for the migrator (`active-project.ts`), and the migrator and generator registered. A
 * process that only reads the settings (`chat-migrate`'s read-only commands) gets none of it and
 * imports none of it.
 */
import type { MigrationsOptions, Options } from '@mikro-orm/core';
import type { ChatSettings } from '../settings/types.js';
import { activateProject } from './active-project.js';
import type { AppRegistry } from './apps.js';
import type { LoadedGraph } from './loader.js';
import { importMigrationModules, migrationsListOf, runtimeGraph } from './runtime-project.js';
import { staleCompiledMigrations, type StaleApp } from './stale-compiled.js';
import { toolState } from './tool-state.js';

/** The options fragment: the migrator among the extensions, and the migrations' list, folder and generator. */
export interface MigrationOptions {
  readonly extensions: NonNullable<Options['extensions']>;
  readonly migrations: MigrationsOptions;
}

/** Loads the project's migrations and returns the options that run them (`extensions` and `migrations` are the caller's, kept). */
export async function migrationOptions(
  settings: ChatSettings,
  registry: AppRegistry,
  baseDir: string,
  own: { extensions: NonNullable<Options['extensions']>; migrations: MigrationsOptions },
): Promise<MigrationOptions> {
  const first = registry.apps[0];
  const folders: MigrationsOptions = { path: first?.path ?? './migrations', ...(first?.pathTs ? { pathTs: first.pathTs } : {}), emit: 'ts', snapshot: false };
  if (toolState().readOnly) {
    activateProject({ settings, apps: registry, baseDir, problems: [] });
    return { extensions: own.extensions, migrations: { ...folders, ...own.migrations } };
  }
  const modules = await importMigrationModules(registry, baseDir);
  const loaded: LoadedGraph = runtimeGraph(modules, settings, registry, baseDir);
  // Only a broken graph pays for reading the sources: stale compiled modules are its likeliest cause.
  const stale: StaleApp[] | undefined = loaded.problems.length > 0 ? await staleCompiledMigrations(registry.apps, modules, baseDir) : undefined;
  const ordered = !loaded.problems.some(p => p.code === 'circular_dependency');
  activateProject({ settings, apps: registry, baseDir, graph: loaded.graph, problems: loaded.problems, stale });
  // The migrator loads MikroORM's migrations package: only here, where migrations may run.
  const { ChatMigrator, ChatMigrationGenerator } = await import('./chat-migrator.js');
  return {
    extensions: [ChatMigrator, ...own.extensions],
    migrations: {
      ...folders,
      generator: ChatMigrationGenerator,
      migrationsList: migrationsListOf(modules, loaded.graph, ordered) as MigrationsOptions['migrationsList'],
      ...own.migrations,
    },
  };
}
