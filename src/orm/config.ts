/**
 * `chatOrmConfig`: the MikroORM options for an application that uses the package. It activates
 * the settings, lists the entities they imply, registers the signals, picks the database, and
 * orders every app's migrations into `migrationsList` (the package's included).
 */
import { defineConfig, type MigrationsOptions, type Options } from '@mikro-orm/core';
import { ChatConfigurationError } from '../errors/configuration-error.js';
import { activateProject } from '../migrations/active-project.js';
import { activateApps, AppRegistry, resolveApps, type ChatAppOptions } from '../migrations/apps.js';
import type { LoadedGraph } from '../migrations/loader.js';
import { importMigrationModules, migrationsListOf, runtimeGraph } from '../migrations/runtime-project.js';
import { staleCompiledMigrations, type StaleApp } from '../migrations/stale-compiled.js';
import { toolState } from '../migrations/tool-state.js';
import { activateChatSettings } from '../settings/activate.js';
import { isChatSettings } from '../settings/define.js';
import type { ChatSettings } from '../settings/types.js';
import { chatSubscribers } from '../signals/index.js';
import { databaseFromEnv, databaseOptions, type DatabaseTarget } from './database.js';
import { chatEntities } from './entity-list.js';

/** Options of `chatOrmConfig`: MikroORM's own, plus where the data lives and the application's apps. */
export type ChatOrmOptions = Options & {
  /** The database; defaults to `DATABASE_URL`, else an in-memory PGlite. Ignored when `driver` is given. */
  database?: DatabaseTarget;
  /**
   * The application's apps, each with a migrations folder and its entities, in order; the first
   * is where `migration:create` writes by default and owns custom models no app lists.
   */
  apps?: Readonly<Record<string, ChatAppOptions>>;
};

/** The key under which the options carry what the migration tool needs (not enumerable). */
export const CHAT_PROJECT = Symbol.for('realtime-chat-messaging.project');

/** What `chatOrmConfig` options carry for the migration tool. */
export interface ChatProject {
  readonly settings: ChatSettings;
  readonly apps: AppRegistry;
  readonly baseDir: string;
  /** The database is an in-memory PGlite: nothing written to it outlives the process. */
  readonly inMemory: boolean;
  /** The PGlite data directory on disk, when the database is one (read-only tools check it exists). */
  readonly dataDir?: string;
}

/** The project of options built by `chatOrmConfig`, or undefined for any other options. */
export function chatProjectOf(options: unknown): ChatProject | undefined {
  return (options as Record<symbol, ChatProject | undefined> | undefined)?.[CHAT_PROJECT];
}

/**
 * MikroORM options for these settings. `options.entities` are the application's own entities
 * (custom models registered in the settings and the apps' entities are added for you).
 */
export async function chatOrmConfig(settings: ChatSettings, options: ChatOrmOptions = {}): Promise<Options> {
  if (!isChatSettings(settings)) {
    throw new ChatConfigurationError([{ path: '(settings)', message: 'pass the result of defineChatSettings(...) to chatOrmConfig' }]);
  }
  activateChatSettings(settings);
  const { database, apps, entities = [], subscribers = [], migrations = {}, extensions = [], ...rest } = options;
  const registry = new AppRegistry(resolveApps(apps));
  activateApps(registry);
  const baseDir = rest.baseDir ?? process.cwd();
  let migrationsList: MigrationsOptions['migrationsList'];
  let loaded: LoadedGraph | undefined;
  let stale: StaleApp[] | undefined;
  if (!toolState().readOnly) {
    const modules = await importMigrationModules(registry, baseDir);
    loaded = runtimeGraph(modules, settings, registry, baseDir);
    // Only a broken graph pays for reading the sources: stale compiled modules are its likeliest cause.
    if (loaded.problems.length > 0) stale = await staleCompiledMigrations(registry.apps, modules, baseDir);
    const ordered = !loaded.problems.some(p => p.code === 'circular_dependency');
    migrationsList = migrationsListOf(modules, loaded.graph, ordered) as MigrationsOptions['migrationsList'];
  }
  activateProject({ settings, apps: registry, baseDir, graph: loaded?.graph, problems: loaded?.problems ?? [], stale });
  // The migrator (and MikroORM's migrations package under it) is loaded only where it can run: a
  // tool that only reads the settings skips about a tenth of a second of imports.
  const migrator = toolState().readOnly ? undefined : await import('../migrations/chat-migrator.js');
  const first = registry.apps[0];
  const target = database ?? databaseFromEnv();
  const connection = rest.driver ? {} : databaseOptions(target);
  // An in-memory PGlite lives as long as the process: tools that write to it say so.
  const inMemory = !rest.driver && !target.url && (!target.dataDir || target.dataDir.startsWith('memory://'));
  const config = defineConfig({
    forceUtcTimezone: true,
    // Log lines without colour codes when they go to a file or a pipe.
    colors: process.stdout.isTTY === true,
    ...connection,
    ...rest,
    entities: chatEntities(settings, [...new Set([...(entities as Function[]), ...registry.apps.flatMap(app => app.entities)])]),
    subscribers: [...chatSubscribers(), ...subscribers],
    extensions: migrator ? [migrator.ChatMigrator, ...extensions] : extensions,
    migrations: {
      path: first?.path ?? './migrations',
      ...(first?.pathTs ? { pathTs: first.pathTs } : {}),
      emit: 'ts',
      ...(migrator ? { generator: migrator.ChatMigrationGenerator } : {}),
      snapshot: false,
      migrationsList,
      ...migrations,
    },
  }) as Options;
  const onDisk = !rest.driver && !target.url && target.dataDir && !inMemory && !target.dataDir.replace(/^file:\/\//, '').includes('://');
  const project: ChatProject = { settings, apps: registry, baseDir, inMemory, ...(onDisk ? { dataDir: target.dataDir!.replace(/^file:\/\//, '') } : {}) };
  Object.defineProperty(config, CHAT_PROJECT, { value: project, enumerable: false });
  return config;
}
