/**
 * `chat-migrate merge [app]`: Django's `makemigrations --merge`. For each app (or the one named)
 * whose migrations end in more than one latest migration, writes one migration that depends on
 * all of them and changes nothing in the database, atomically; all files or none. The result is
 * read back: a merge that would give the graph a new problem is taken back, and reported.
 */
import { accessSync, constants, existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { didYouMean } from '../../settings/suggest.js';
import { undoWrites, writeAllOrNone } from '../atomic-write.js';
import { CliError, EXIT } from '../cli-error.js';
import { planMerges, type PlannedMerge } from '../merge/plan.js';
import { relativeTo } from '../paths.js';
import type { AppFacts } from '../project.js';
import { PACKAGE_APP } from '../types.js';
import type { Args } from './args.js';
import type { Output } from './output.js';
import { describeRead, readProjectGraph, type ProjectGraph } from './project-graph.js';
import { rebuildNote } from './rebuild-note.js';
import { describeApps, problemLines } from './report.js';

/** Problems merge works beside: several latest migrations (its job), and cycles and missing first migrations (which leave the leaves known). */
const MERGEABLE_BESIDE = new Set(['multiple_leaves', 'circular_dependency', 'no_first_migration']);

/** The apps to look at: the one named, else every app of the project (the package's own never). */
function appsToMerge(project: ProjectGraph, app: string | undefined): AppFacts[] {
  const own = project.facts.apps.filter(a => a.label !== PACKAGE_APP);
  if (app === undefined) return own;
  const labels = own.map(a => a.label);
  const listed = labels.length > 0 ? `Apps: ${labels.join(', ')}` : 'The config declares no app';
  if (app === PACKAGE_APP) throw CliError.usage(`merge: '${PACKAGE_APP}' is the package's own app, whose migrations ship with it. ${listed}`);
  const found = own.find(a => a.label === app);
  if (!found) throw CliError.usage(`merge: unknown app '${app}'.${didYouMean(app, labels)} ${listed}`);
  return [found];
}

function describeMerge(project: ProjectGraph, merge: PlannedMerge): string {
  return `${relativeTo(project.facts.root, merge.file)}, which merges the latest migrations of app '${merge.app}' (${merge.leaves.join(', ')})`;
}

/** Writes every merge migration or none: checks the folders first, and removes what was written if a later write fails. */
function writeMerges(project: ProjectGraph, merges: readonly PlannedMerge[]): void {
  for (const { file } of merges) {
    if (existsSync(file)) throw new CliError(EXIT.problems, `${relativeTo(project.facts.root, file)} already exists: nothing was written`);
    try {
      accessSync(dirname(file), constants.W_OK);
    } catch {
      throw CliError.io(`cannot write in ${relativeTo(project.facts.root, dirname(file))} (read-only): nothing was written`);
    }
  }
  try {
    writeAllOrNone(merges);
  } catch (error) {
    throw CliError.io(`cannot write: ${(error as Error).message}; nothing was written`);
  }
}

/** `merge [app]`: writes the merge migrations, or prints them with `--dry-run`. */
export async function merge(configFile: string, args: Args, io: Output): Promise<number> {
  const project = await readProjectGraph(configFile, args.cache);
  if (args.verbose) io.err(describeRead(project));
  const apps = appsToMerge(project, args.app);
  const blocking = project.problems.filter(p => !MERGEABLE_BESIDE.has(p.code));
  if (blocking.length > 0) {
    io.out('merge needs a graph whose latest migrations are known; first solve:');
    for (const line of problemLines({ ...project, problems: blocking })) io.out(line);
    return EXIT.problems;
  }
  const merges = planMerges(project.graph, apps);
  if (merges.length === 0) {
    const leaves = args.app === undefined ? [] : project.graph.leafNodes(args.app).map(n => n.name);
    io.out(
      args.app === undefined
        ? 'Nothing to merge: no app has more than one latest migration.'
        : `Nothing to merge: app '${args.app}' has ${leaves.length === 0 ? 'no migration yet' : `one latest migration (${leaves[0]})`}.`,
    );
    if (project.problems.length === 0) return EXIT.ok;
    io.out('The graph has other problems:');
    for (const line of problemLines(project)) io.out(line);
    return EXIT.problems;
  }
  if (args.dryRun) {
    for (const planned of merges) {
      io.out(`Would write ${describeMerge(project, planned)}:\n`);
      io.out(planned.content.trimEnd());
      io.out('');
    }
    io.out('(dry run: nothing was written)');
    return EXIT.ok;
  }
  writeMerges(project, merges);
  const after = await readProjectGraph(configFile, args.cache);
  const known = new Set(project.problems.map(p => p.format(project.facts.root)));
  const fresh = after.problems.filter(p => !known.has(p.format(after.facts.root)));
  if (fresh.length > 0) {
    undoWrites(merges);
    io.out(`Refusing: with the merge migration${merges.length > 1 ? 's' : ''} the graph would have ${fresh.length} new problem${fresh.length > 1 ? 's' : ''}; nothing was written:`);
    for (const line of problemLines({ ...after, problems: fresh })) io.out(line);
    return EXIT.problems;
  }
  for (const planned of merges) io.out(`Wrote ${describeMerge(project, planned)}.`);
  const note = rebuildNote(after.facts, merges.map(m => m.app));
  if (after.problems.length > 0) {
    io.out('The graph still has problems:');
    for (const line of problemLines(after)) io.out(line);
    if (note) io.out(note);
    return EXIT.problems;
  }
  io.out(`The migration graph is consistent: ${after.graph.nodes().length} migrations (${describeApps(after)}). Next: npx chat-migrate migrate`);
  if (note) io.out(note);
  return EXIT.ok;
}
