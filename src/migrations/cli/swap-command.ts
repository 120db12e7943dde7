/**
 * `chat-migrate swap <Token>`: writes the migration that swaps a model on a database already
 * migrated with the package's default, and the app's snapshot with it, atomically; refuses with
 * the reason, writing nothing, when there is nothing to swap or the result would not be consistent.
 */
import { accessSync, constants, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { MikroORM, Options } from '@mikro-orm/core';
import type { SwapToken } from '../../swappable/tokens.js';
import { undoWrites, writeAllOrNone, type FileWrite } from '../atomic-write.js';
import { migrationTimestamp } from '../migration-timestamp.js';
import { CliError, EXIT } from '../cli-error.js';
import { relativeTo } from '../paths.js';
import { sliceSchema } from '../schema-slices.js';
import { planSwap, type SwapPlan } from '../swap/plan.js';
import { renderSwapMigration } from '../swap/render.js';
import { SwapError } from '../swap/swap-error.js';
import type { Args } from './args.js';
import type { Output } from './output.js';
import { readProjectGraph, type ProjectGraph } from './project-graph.js';
import { describeApps, describeProblems, problemLines } from './report.js';
import { keyString } from '../types.js';

async function openMetadata(configFile: string): Promise<{ orm: MikroORM; options: Options }> {
  const { importConfig } = await import('../config-loader.js');
  const options = await importConfig(configFile, { readOnly: false, fresh: true });
  const { MikroORM } = await import('@mikro-orm/core');
  try {
    const orm = await MikroORM.init({ ...options, connect: false, allowGlobalContext: true, debug: false } as Options);
    return { orm, options };
  } catch (error) {
    throw CliError.config(`cannot read the entities of ${configFile}: ${(error as Error).message}`);
  }
}

/** The migration file and the snapshot the plan needs. */
async function plannedFiles(plan: SwapPlan, project: ProjectGraph, orm: MikroORM): Promise<FileWrite[]> {
  const { readSnapshot, snapshotFile } = await import('../chat-migrator.js');
  const dir = project.facts.apps.find(a => a.label === plan.app)!.dir;
  const typescript = /\.[cm]?ts$/.test(project.facts.configFile || '.ts');
  let name = `Migration${migrationTimestamp(new Date())}_swap_${plan.token.toLowerCase()}`;
  while (project.graph.has(keyString({ app: plan.app, name }))) name += '_';
  const migration = { file: join(dir, `${name}.${typescript ? 'ts' : 'js'}`), content: renderSwapMigration(plan, name, typescript) };
  const snapshot = snapshotFile(dir, plan.app);
  const before = existsSync(snapshot) ? readFileSync(snapshot, 'utf8') : undefined;
  const { SqlSchemaGenerator } = await import('@mikro-orm/postgresql');
  const like = new SqlSchemaGenerator(orm.em.fork()).getTargetSchema();
  const existing = before === undefined ? undefined : readSnapshot(snapshot, like);
  const merged = existing ? sliceSchema(plan.created, () => true, existing) : plan.created;
  return [migration, { file: snapshot, content: `${JSON.stringify(merged, null, 2)}\n`, ...(before !== undefined ? { before } : {}) }];
}

/** Writes every file or none: checks the folders first, and puts back what was written if a later write fails. */
function writeAll(files: readonly FileWrite[]): void {
  for (const { file } of files) {
    const dir = dirname(file);
    try {
      if (!existsSync(dir)) mkdirSync(dir, { recursive: true });
      accessSync(dir, constants.W_OK);
      if (existsSync(file)) accessSync(file, constants.W_OK);
    } catch {
      throw CliError.io(`cannot write ${file} (read-only): nothing was written`);
    }
  }
  try {
    writeAllOrNone(files);
  } catch (error) {
    throw CliError.io(`cannot write: ${(error as Error).message}; nothing was written`);
  }
}

/** `swap <Token>`: writes the swap migration, or prints it with `--dry-run`. */
export async function swap(configFile: string, args: Args, io: Output): Promise<number> {
  const token = args.token as SwapToken;
  const project = await readProjectGraph(configFile, args.cache);
  if (!project.facts.swaps[token]) throw SwapError.notSwapped(token);
  // The swapping app having no migration yet is what the swap cures; anything else comes first.
  const blocking = project.problems.filter(p => p.code !== 'no_first_migration');
  if (blocking.length > 0) throw SwapError.graphProblems(describeProblems({ ...project, problems: blocking }));
  const { orm, options } = await openMetadata(configFile);
  let plan: SwapPlan;
  let files: FileWrite[];
  try {
    const { chatProjectOf } = await import('../chat-project.js');
    const chat = chatProjectOf(options);
    if (!chat) throw CliError.config(`${configFile} does not export options built by chatOrmConfig()`);
    plan = await planSwap({ orm, settings: chat.settings, apps: chat.apps, graph: project.graph, token });
    files = await plannedFiles(plan, project, orm);
  } finally {
    await orm.close(true);
  }
  const [migration, snapshot] = files as [FileWrite, FileWrite];
  const root = project.facts.root;
  const moved = plan.movedKeys.map(k => `${k.table}.${k.columns.join('+')}`).join(', ');
  const summary = `moves ${token} from ${plan.oldTable} to ${plan.newTable} (${plan.className}): ${plan.copies.length} table${plan.copies.length > 1 ? 's' : ''} of rows copied, ${plan.movedKeys.length} key${plan.movedKeys.length === 1 ? '' : 's'} moved${moved ? ` (${moved})` : ''}`;
  if (args.dryRun) {
    io.out(`Would write ${relativeTo(root, migration.file)}, which ${summary}:\n`);
    io.out(migration.content.trimEnd());
    io.out(`\nWould ${snapshot.before === undefined ? 'write' : 'update'} ${relativeTo(root, snapshot.file)} (what migration:create compares with).`);
    io.out('(dry run: nothing was written)');
    return EXIT.ok;
  }
  writeAll(files);
  const after = await readProjectGraph(configFile, args.cache);
  if (after.problems.length > 0) {
    undoWrites(files);
    io.out(`Refusing: with this migration the graph would have ${after.problems.length} problem${after.problems.length > 1 ? 's' : ''}; nothing was written:`);
    for (const line of problemLines(after)) io.out(line);
    return EXIT.problems;
  }
  io.out(`Wrote ${relativeTo(root, migration.file)}, which ${summary}.`);
  io.out(`${snapshot.before === undefined ? 'Wrote' : 'Updated'} ${relativeTo(root, snapshot.file)}.`);
  io.out(`The migration graph is consistent: ${after.graph.nodes().length} migrations (${describeApps(after)}). Next: npx chat-migrate migrate`);
  return EXIT.ok;
}
