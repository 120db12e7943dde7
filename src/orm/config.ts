/**
 * `chatOrmConfig`: the MikroORM options for an application that uses the package. It activates
 * the settings, lists the entities they imply, registers the signals and picks the database; the
 * migration options (every app's migrations ordered into `migrationsList`, the package's first,
 * and the migrator) come from `migrations/runtime-options.ts`.
 */
import { defineConfig, type Options } from '@mikro-orm/core';
import { ChatConfigurationError } from '../errors/configuration-error.js';
import { activateApps, AppRegistry, resolveApps, type ChatAppOptions } from '../migrations/apps.js';
import { attachChatProject } from '../migrations/chat-project.js';
import { migrationOptions } from '../migrations/runtime-options.js';
import { activateChatSettings } from '../settings/activate.js';
import { isChatSettings } from '../settings/define.js';
import type { ChatSettings } from '../settings/types.js';
import { chatSubscribers } from '../signals/index.js';
import { databaseFromEnv, databaseOptions, type DatabaseTarget } from './database.js';
import { chatEntities } from './entity-list.js';
import { indexPivotTargets } from './pivot-indexes.js';
import { ChatSchemaGenerator } from './schema-generator.js';
import { markStatementKeys } from '../entities/statement-keys.js';

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
  const forMigrations = await migrationOptions(settings, registry, baseDir, { extensions, migrations });
  const target = database ?? databaseFromEnv();
  const connection = rest.driver ? {} : await databaseOptions(target);
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
    discovery: {
      ...rest.discovery,
      afterDiscovered: async (storage, platform) => {
        indexPivotTargets(storage);
        markStatementKeys(storage);
        await rest.discovery?.afterDiscovered?.(storage, platform);
      },
    },
    ...forMigrations,
    // The package's schema generator first: one the application registers replaces it.
    extensions: [ChatSchemaGenerator, ...forMigrations.extensions],
  }) as Options;
  const onDisk = !rest.driver && !target.url && target.dataDir && !inMemory && !target.dataDir.replace(/^file:\/\//, '').includes('://');
  return attachChatProject(config, { settings, apps: registry, baseDir, inMemory, ...(onDisk ? { dataDir: target.dataDir!.replace(/^file:\/\//, '') } : {}) });
}
