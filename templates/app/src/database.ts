/**
 * The app's database, as the server and create-user open it: refused while a migration is not
 * applied, so neither works on tables the code does not match (`npm run dev` migrates first).
 */
import { MikroORM } from '@mikro-orm/core';
import config from '../mikro-orm.config.js';

/** The ORM over the migrated database; throws, saying what to run, when a migration is not applied yet. */
export async function openMigratedDatabase(): Promise<MikroORM> {
  const orm = await MikroORM.init(await config);
  try {
    // This also reports a broken migration graph.
    const pending = await orm.getMigrator().getPendingMigrations();
    if (pending.length > 0) throw new Error(`${pending.length} migration(s) not applied yet: run npm run migrate first`);
    return orm;
  } catch (error) {
    await orm.close(true);
    throw error;
  }
}
