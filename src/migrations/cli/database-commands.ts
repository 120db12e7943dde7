/** The commands that talk to the database: `plan` and `migrate`. They load the full config (and MikroORM) only when run. */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { MikroORM } from '@mikro-orm/core';
import type { MigrationStorage } from '@mikro-orm/migrations';
import { CliError, EXIT } from '../cli-error.js';
import { inconsistentHistory, inconsistentHistoryMessage } from '../history.js';
import type { Args } from './args.js';
import { runnableProject } from './commands.js';
import type { Output } from './output.js';

/**
 * Opens the config's database. `readOnly` (plan) creates nothing: no database (MikroORM's
 * `ensureDatabase`), no PGlite data directory, no migrations table; a database that is not there
 * is an error that says so.
 */
async function openOrm(configFile: string, io: Output, readOnly: true): Promise<MikroORM | undefined>;
async function openOrm(configFile: string, io: Output, readOnly: false): Promise<MikroORM>;
async function openOrm(configFile: string, io: Output, readOnly: boolean): Promise<MikroORM | undefined> {
  const { importConfig } = await import('../config-loader.js');
  const options = await importConfig(configFile, { readOnly: false, fresh: true });
  const { chatProjectOf } = await import('../chat-project.js');
  const project = chatProjectOf(options);
  if (project?.inMemory) {
    io.err(
      'Note: the database is an in-memory PGlite (no DATABASE_URL, no database.dataDir in chatOrmConfig): ' +
        'it starts empty and is gone when this command ends.',
    );
  }
  if (readOnly && project?.dataDir && !existsSync(resolve(project.dataDir))) {
    throw CliError.io(`no database at ${project.dataDir} (the PGlite dataDir of ${configFile}); nothing was created. Check the path, or run chat-migrate migrate to create it`);
  }
  // An empty data directory is an empty database: opening it would create one.
  if (readOnly && project?.dataDir && !existsSync(join(resolve(project.dataDir), 'PG_VERSION'))) return undefined;
  const { MikroORM } = await import('@mikro-orm/core');
  let orm: MikroORM;
  try {
    orm = await MikroORM.init({ ...options, ...(readOnly ? { ensureDatabase: false } : {}), migrations: { ...options.migrations, silent: true } });
  } catch (error) {
    throw CliError.io(`cannot open the database of ${configFile}: ${(error as Error).message}`);
  }
  if (readOnly) {
    const connection = await orm.checkConnection();
    if (!connection.ok) {
      await orm.close(true);
      throw CliError.io(
        `cannot reach the database of ${configFile}: ${connection.reason}; nothing was created. Check the database name and server (chat-migrate migrate creates a missing database)`,
      );
    }
  }
  return orm;
}

async function appliedNames(orm: MikroORM): Promise<Set<string>> {
  return new Set((await orm.getMigrator().getExecutedMigrations()).map(row => row.name));
}

/** The applied migrations, read without creating the migrations table (none when it is missing). */
async function appliedNamesReadOnly(orm: MikroORM): Promise<Set<string>> {
  const storage = (orm.getMigrator() as unknown as { getStorage(): MigrationStorage }).getStorage();
  const { tableName, schemaName } = storage.getTableName();
  const quoted = `${schemaName ? `"${schemaName}".` : ''}"${tableName}"`;
  const [row] = await orm.em.getConnection().execute<{ found: string | null }[]>('select to_regclass(?) as found', [quoted]);
  if (!row?.found) return new Set();
  return new Set((await storage.getExecutedMigrations()).map(entry => entry.name));
}

/** `plan`: every migration in run order, applied ones marked. */
export async function plan(configFile: string, args: Args, io: Output): Promise<number> {
  const project = await runnableProject(configFile, args, io, 'listed');
  if (!project) return EXIT.problems;
  const orm = await openOrm(configFile, io, true);
  try {
    const applied = orm ? await appliedNamesReadOnly(orm) : new Set<string>();
    for (const key of project.graph.topologicalOrder()) io.out(`[${applied.has(key) ? 'X' : ' '}] ${key}`);
    for (const name of [...applied].filter(name => !project.graph.has(name)).sort()) io.err(`applied but unknown: ${name} (its file is gone)`);
    const broken = inconsistentHistory(project.graph, applied);
    if (broken.length > 0) {
      io.out('Inconsistent history:');
      for (const b of broken) io.out(`  ${b.migration} is applied, but its dependency ${b.missing} is not.`);
      return EXIT.problems;
    }
    return EXIT.ok;
  } finally {
    await orm?.close(true);
  }
}

/** `migrate`: applies the pending migrations in dependency order, or refuses and changes nothing. */
export async function migrate(configFile: string, args: Args, io: Output): Promise<number> {
  const project = await runnableProject(configFile, args, io, 'applied');
  if (!project) return EXIT.problems;
  const orm = await openOrm(configFile, io, false);
  try {
    const applied = await appliedNames(orm);
    const broken = inconsistentHistory(project.graph, applied);
    if (broken.length > 0) {
      io.out(`Refusing: ${inconsistentHistoryMessage(broken, 'chat-migrate migrate')}`);
      return EXIT.problems;
    }
    const done = await orm.getMigrator().up();
    for (const migration of done) io.out(`Applied ${migration.name}`);
    io.out(done.length === 0 ? 'Nothing to migrate: every migration is applied.' : `${done.length} migration${done.length > 1 ? 's' : ''} applied.`);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CliError) throw error;
    io.out(`Migration failed: ${(error as Error).message}`);
    return EXIT.problems;
  } finally {
    await orm.close(true);
  }
}
