/** The commands that talk to the database: `plan` and `migrate`. They load the full config (and MikroORM) only when run. */
import type { MikroORM } from '@mikro-orm/core';
import { CliError, EXIT } from '../cli-error.js';
import type { MigrationGraph } from '../graph.js';
import { PACKAGE_APP } from '../types.js';
import type { Args } from './args.js';
import { runnableProject } from './commands.js';
import type { Output } from './output.js';

async function openOrm(configFile: string, io: Output): Promise<MikroORM> {
  const { importConfig } = await import('../config-loader.js');
  const options = await importConfig(configFile, { readOnly: false, fresh: true });
  const { chatProjectOf } = await import('../../orm/config.js');
  if (chatProjectOf(options)?.inMemory) {
    io.err(
      'Note: the database is an in-memory PGlite (no DATABASE_URL, no database.dataDir in chatOrmConfig): ' +
        'it starts empty and is gone when this command ends.',
    );
  }
  const { MikroORM } = await import('@mikro-orm/core');
  try {
    return await MikroORM.init({ ...options, migrations: { ...options.migrations, silent: true } });
  } catch (error) {
    throw CliError.io(`cannot open the database of ${configFile}: ${(error as Error).message}`);
  }
}

/** Applied migrations whose dependencies are not all applied, as messages. */
function inconsistencies(graph: MigrationGraph, applied: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (const key of graph.topologicalOrder()) {
    if (!applied.has(key)) continue;
    for (const edge of graph.dependenciesOf(key)) {
      if (applied.has(edge.to)) continue;
      out.push(`${key} is applied, but its dependency ${edge.to} is not`);
      // The database ran this migration with the default model: a swap migration moves it, nothing by hand.
      if (edge.swap && edge.swap.app !== PACKAGE_APP) {
        out.push(
          `  ${key} ran with the package's default ${edge.swap.token}, which the settings now swap for ${edge.swap.app}.${edge.swap.className}: ` +
            `if no database applied ${edge.to}, delete it and run chat-migrate swap ${edge.swap.token}, which writes the migration that moves the rows`,
        );
      }
    }
  }
  return out;
}

async function appliedNames(orm: MikroORM): Promise<Set<string>> {
  return new Set((await orm.getMigrator().getExecutedMigrations()).map(row => row.name));
}

/** `plan`: every migration in run order, applied ones marked. */
export async function plan(configFile: string, args: Args, io: Output): Promise<number> {
  const project = await runnableProject(configFile, args, io, 'listed');
  if (!project) return EXIT.problems;
  const orm = await openOrm(configFile, io);
  try {
    const applied = await appliedNames(orm);
    for (const key of project.graph.topologicalOrder()) io.out(`[${applied.has(key) ? 'X' : ' '}] ${key}`);
    for (const name of [...applied].filter(name => !project.graph.has(name)).sort()) io.err(`applied but unknown: ${name} (its file is gone)`);
    const broken = inconsistencies(project.graph, applied);
    if (broken.length > 0) {
      io.out('Inconsistent history:');
      for (const line of broken) io.out(`  ${line}`);
      return EXIT.problems;
    }
    return EXIT.ok;
  } finally {
    await orm.close(true);
  }
}

/** `migrate`: applies the pending migrations in dependency order, or refuses and changes nothing. */
export async function migrate(configFile: string, args: Args, io: Output): Promise<number> {
  const project = await runnableProject(configFile, args, io, 'applied');
  if (!project) return EXIT.problems;
  const orm = await openOrm(configFile, io);
  try {
    const applied = await appliedNames(orm);
    const broken = inconsistencies(project.graph, applied);
    if (broken.length > 0) {
      io.out('Refusing: the database history is inconsistent with the migration graph; nothing was applied:');
      for (const line of broken) io.out(`  ${line}`);
      if (!broken.some(line => line.includes('chat-migrate swap'))) io.out('  Apply the missing dependency by hand or restore the database; then run chat-migrate migrate again.');
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
