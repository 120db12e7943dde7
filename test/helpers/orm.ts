/** Starts MikroORM for a test file on its own database, with the schema of the given settings. */
import test from 'ava';
import { MikroORM } from '@mikro-orm/core';
import { chatOrmConfig, type ChatSettings } from '../../src/index.js';
import { createTestDatabase, type TestDatabase } from './database.js';

/** A running ORM and its database. */
export interface TestOrm {
  readonly orm: MikroORM;
  readonly database: TestDatabase;
  close(): Promise<void>;
}

/** An ORM over a fresh database whose schema matches `settings` (plus `entities`). */
export async function startTestOrm(settings: ChatSettings, entities: Function[] = []): Promise<TestOrm> {
  const database = await createTestDatabase();
  const orm = await MikroORM.init(await chatOrmConfig(settings, { database: database.target, entities, allowGlobalContext: false }));
  await orm.schema.createSchema();
  return {
    orm,
    database,
    async close() {
      await orm.close(true);
      await database.drop();
    },
  };
}

/**
 * Registers the hooks that start an ORM for this test file before its tests and close it after;
 * the returned handle's `orm` is usable inside the tests.
 */
export function useTestOrm(settings: ChatSettings, entities: Function[] = []): { readonly orm: MikroORM } {
  let running: TestOrm | undefined;
  test.before(async () => {
    running = await startTestOrm(settings, entities);
  });
  test.after.always(async () => {
    await running?.close();
  });
  return {
    get orm() {
      if (!running) throw new Error('the test ORM is not started (useTestOrm registers a before hook)');
      return running.orm;
    },
  };
}
