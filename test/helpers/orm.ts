/** Starts MikroORM for a test file on its own database, with the schema of the given settings. */
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
  const orm = await MikroORM.init(chatOrmConfig(settings, { database: database.target, entities, allowGlobalContext: false }));
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
