/**
 * `chatOrmConfig`: the MikroORM options for an application that uses the package. It activates
 * the settings, lists the entities they imply, registers the signals and picks the database.
 */
import { defineConfig, type Options } from '@mikro-orm/core';
import { ChatConfigurationError } from '../errors/configuration-error.js';
import { activateChatSettings } from '../settings/activate.js';
import { isChatSettings } from '../settings/define.js';
import type { ChatSettings } from '../settings/types.js';
import { chatSubscribers } from '../signals/index.js';
import { databaseFromEnv, databaseOptions, type DatabaseTarget } from './database.js';
import { chatEntities } from './entity-list.js';

/** Options of `chatOrmConfig`: MikroORM's own, plus where the data lives. */
export type ChatOrmOptions = Options & {
  /** The database; defaults to `DATABASE_URL`, else an in-memory PGlite. Ignored when `driver` is given. */
  database?: DatabaseTarget;
};

/**
 * MikroORM options for these settings. `options.entities` are the application's own entities
 * (custom models registered in the settings are added for you).
 */
export function chatOrmConfig(settings: ChatSettings, options: ChatOrmOptions = {}): Options {
  if (!isChatSettings(settings)) {
    throw new ChatConfigurationError([{ path: '(settings)', message: 'pass the result of defineChatSettings(...) to chatOrmConfig' }]);
  }
  activateChatSettings(settings);
  const { database, entities = [], subscribers = [], ...rest } = options;
  const connection = rest.driver ? {} : databaseOptions(database ?? databaseFromEnv());
  return defineConfig({
    forceUtcTimezone: true,
    ...connection,
    ...rest,
    entities: chatEntities(settings, entities as Function[]),
    subscribers: [...chatSubscribers(), ...subscribers],
  }) as Options;
}
