/** The `chat-migrate` commands: each reads the project, acts, and returns its exit code. */
import { relativeTo } from '../paths.js';
import { EXIT } from '../cli-error.js';
import { prepareEdits, writeEdits } from '../file-edits.js';
import { planFix } from '../repoint.js';
import { unifiedDiff } from '../unified-diff.js';
import { keyString, PACKAGE_APP, PACKAGE_FIRST_NAME } from '../types.js';
import type { Args } from './args.js';
import type { Output } from './output.js';
import { describeRead, readProjectGraph, type ProjectGraph } from './project-graph.js';
import { rebuildNote } from './rebuild-note.js';
import { describeApps, problemLines } from './report.js';
import { renderDot, renderText } from './render-graph.js';

/** Problems `fix` can work beside: cycles (its job), and an app with no migration yet (a swap cycle of another app can still be mended). */
const FIXABLE_BESIDE = new Set(['circular_dependency', 'no_first_migration']);

/** `fix`: makes every safe repoint the shared plan holds (the one `check` describes), and reports what stays. */
export async function fix(configFile: string, args: Args, io: Output): Promise<number> {
  const project = await readProjectGraph(configFile, args.cache);
  if (args.verbose) io.err(describeRead(project));
  const blocking = project.problems.filter(p => !FIXABLE_BESIDE.has(p.code));
  if (blocking.length > 0) {
    io.out(`fix needs a graph whose only problems are cycles; first solve:`);
    for (const problem of blocking) io.out(`  ${problem.format(project.facts.root)}`);
    return EXIT.problems;
  }
  if (!project.problems.some(p => p.code === 'circular_dependency')) {
    io.out('Nothing to fix: the migration graph has no cycle.');
    for (const problem of project.problems) io.out(`  ${problem.format(project.facts.root)}`);
    return project.problems.length > 0 ? EXIT.problems : EXIT.ok;
  }
  const plan = planFix(project.graph, project.facts, project.cycles);
  if (plan.repoints.length === 0) {
    io.out(`Cannot fix safely; nothing was changed:`);
    for (const u of plan.unmendable) io.out(`  ${u.cycle}\n    ${u.reason}.`);
    return EXIT.problems;
  }
  const edits = prepareEdits(plan.repoints);
  if (args.dryRun) {
    for (const edit of edits) io.out(unifiedDiff(relativeTo(project.facts.root, edit.file), edit.before, edit.after).trimEnd());
    io.out(`(dry run: ${plan.repoints.length} dependenc${plan.repoints.length > 1 ? 'ies' : 'y'} would be repointed; nothing was written)`);
    for (const u of plan.unmendable) io.out(`Would stay: ${u.cycle}\n    ${u.reason}.`);
    return plan.unmendable.length > 0 ? EXIT.problems : EXIT.ok;
  }
  writeEdits(edits);
  for (const repoint of plan.repoints) {
    io.out(`Repointed ${repoint.migration} (${relativeTo(project.facts.root, repoint.file)}:${repoint.line}) from ${keyString({ app: PACKAGE_APP, name: repoint.written })} to ${PACKAGE_FIRST_NAME}.`);
  }
  const after = await readProjectGraph(configFile, args.cache);
  const note = rebuildNote(after.facts, plan.repoints.map(repoint => project.graph.node(repoint.migration)?.app ?? ''));
  if (after.problems.length > 0) {
    io.out('The graph still has problems:');
    for (const line of problemLines(after)) io.out(line);
    if (note) io.out(note);
    return EXIT.problems;
  }
  io.out(`The migration graph is consistent: ${after.graph.nodes().length} migrations (${describeApps(after)}).`);
  if (note) io.out(note);
  return EXIT.ok;
}

/** `graph`: the graph as text or Graphviz DOT. */
export async function graph(configFile: string, args: Args, io: Output): Promise<number> {
  const project = await readProjectGraph(configFile, args.cache);
  io.out(args.format === 'dot' ? renderDot(project) : renderText(project));
  if (project.problems.length > 0) {
    io.err(`${project.problems.length} problem(s): run chat-migrate check`);
    return EXIT.problems;
  }
  return EXIT.ok;
}

/** Refuses database commands on a graph with problems. */
export async function runnableProject(configFile: string, args: Args, io: Output, what: 'applied' | 'listed'): Promise<ProjectGraph | undefined> {
  const project = await readProjectGraph(configFile, args.cache);
  if (project.problems.length === 0) return project;
  io.out(`Refusing: the migration graph has ${project.problems.length} problem${project.problems.length > 1 ? 's' : ''}; nothing was ${what}.`);
  for (const line of problemLines(project)) io.out(line);
  return undefined;
}

