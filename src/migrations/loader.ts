/**
 * Builds the migration graph from what each file declares and what the project config says:
 * resolves `swappable(Token)` through the swapped models (Django's `__first__` of the owning
 * app), and reports every problem as data instead of stopping at the first.
 */
import { didYouMean } from '../settings/suggest.js';
import { analyseCycles, type CycleAnalysis } from './cycles.js';
import { compareKeys, MigrationGraph, type GraphEdge, type SwapResolution } from './graph.js';
import { relativeTo } from './paths.js';
import { MigrationProblem } from './problems.js';
import { acrossSwap, swapPoints, type SwapPoint } from './swap/history.js';
import type { ProjectFacts } from './project.js';
import { keyString, PACKAGE_APP, type DependencyRef, type MigrationDeclaration, type ParseFailure } from './types.js';

/** A file of an app's migrations folder, read. */
export interface ReadMigration {
  /** The app whose folder holds the file. */
  readonly folderApp: string;
  readonly result: MigrationDeclaration | ParseFailure;
}

/** The graph and every problem found while building it. */
export interface LoadedGraph {
  readonly graph: MigrationGraph;
  readonly problems: MigrationProblem[];
  /** The graph's cycles, as found once (planning a fix starts from them). */
  readonly cycles: CycleAnalysis;
}

const PROBLEM_ORDER = [
  'parse_error',
  'unknown_app',
  'app_folder_mismatch',
  'duplicate_migration',
  'missing_dependency',
  'no_first_migration',
  'circular_dependency',
  'multiple_leaves',
];

/**
 * Builds the graph of every read migration for a project. `missingFolders` are the labels of the
 * apps whose migrations folder is not there (said instead of "no migrations yet").
 */
export function buildGraph(facts: ProjectFacts, files: readonly ReadMigration[], missingFolders: ReadonlySet<string> = new Set()): LoadedGraph {
  const graph = new MigrationGraph();
  const problems: MigrationProblem[] = [];
  const appLabels = facts.apps.map(a => a.label);
  const knownApps = new Set(appLabels);
  const byKey = new Map<string, MigrationDeclaration[]>();
  // Why an app may lack a first migration although its folder has files: the first file left out.
  const leftOut = new Map<string, string>();
  const leaveOut = (app: string, file: string) => leftOut.has(app) || leftOut.set(app, relativeTo(facts.root, file));

  for (const { folderApp, result } of files) {
    if ('message' in result) {
      problems.push(MigrationProblem.parseError(result));
      leaveOut(folderApp, result.file);
      continue;
    }
    if (!knownApps.has(result.app)) {
      problems.push(MigrationProblem.unknownApp(result.appAt, result.app, appLabels));
      leaveOut(folderApp, result.file);
      continue;
    }
    if (result.app !== folderApp) {
      problems.push(MigrationProblem.appFolderMismatch(result.appAt, result.app, folderApp));
      leaveOut(folderApp, result.file);
      continue;
    }
    const key = keyString(result);
    const same = byKey.get(key);
    if (same) same.push(result);
    else byKey.set(key, [result]);
  }
  for (const [key, declarations] of [...byKey].sort(([a], [b]) => compareKeys(a, b))) {
    const sorted = [...declarations].sort((a, b) => compareKeys(a.file, b.file));
    if (sorted.length > 1) problems.push(MigrationProblem.duplicate(key, sorted.map(d => d.file), facts.root));
    graph.addNode(sorted[0]!);
  }

  const whyNoFirst = (app: string): string | undefined => {
    if (leftOut.has(app)) return `has no migration the tool can read: ${leftOut.get(app)} is left out (see the problem reported for it); fix that file rather than create another`;
    if (missingFolders.has(app)) {
      const dir = facts.apps.find(a => a.label === app)?.dir ?? '';
      const folder = relativeTo(facts.root, dir);
      return `has no migrations yet (its folder ${folder} does not exist): create them with npx mikro-orm-esm migration:create --path ${folder}, or if they are elsewhere, fix apps.${app}.migrations in chatOrmConfig (it is relative to the config's folder)`;
    }
    return undefined;
  };
  // Plain dependencies first: an app's first and latest migrations are only known once they are all in.
  const isPlain = (ref: DependencyRef) => ref.kind === 'migration' && ref.name !== '__first__' && ref.name !== '__latest__';
  const deferred: [string, DependencyRef][] = [];
  for (const node of graph.nodes()) {
    for (const ref of node.declaration.dependencies) {
      if (!isPlain(ref)) {
        deferred.push([node.key, ref]);
        continue;
      }
      const edge = resolve(graph, facts, node.key, ref, () => undefined, problems, whyNoFirst);
      if (edge) graph.addDependency(edge);
    }
  }
  const firsts = new Map<string, string | undefined>();
  const firstOf = (app: string) => {
    if (!firsts.has(app)) firsts.set(app, graph.rootNodes(app)[0]?.key);
    return firsts.get(app);
  };
  const points = swapPoints(graph, facts.swaps);
  const resolved = deferred.map(([from, ref]) => resolve(graph, facts, from, ref, firstOf, problems, whyNoFirst, points));
  for (const edge of resolved) if (edge) graph.addDependency(edge);
  // One problem per swapped setting caught in a cycle (each named), then the cycles no repoint breaks.
  const cycles = analyseCycles(graph);
  for (const cycle of [...cycles.swapCycles, ...cycles.genuineCycles]) problems.push(MigrationProblem.circular(cycle.edges));
  for (const app of appLabels) {
    const leaves = graph.leafNodes(app);
    if (leaves.length > 1) problems.push(MigrationProblem.multipleLeaves(app, leaves.map(l => l.name), leaves[1]!.declaration.appAt));
  }
  problems.sort(
    (a, b) => PROBLEM_ORDER.indexOf(a.code) - PROBLEM_ORDER.indexOf(b.code) || compareKeys(a.at?.file ?? '', b.at?.file ?? '') || (a.at?.line ?? 0) - (b.at?.line ?? 0),
  );
  return { graph, problems, cycles };
}

function resolve(
  graph: MigrationGraph,
  facts: ProjectFacts,
  from: string,
  ref: DependencyRef,
  firstOf: (app: string) => string | undefined,
  problems: MigrationProblem[],
  whyNoFirst: (app: string) => string | undefined,
  points: ReadonlyMap<string, SwapPoint> = new Map(),
): GraphEdge | undefined {
  if (ref.kind === 'swappable') {
    const point = points.get(ref.token);
    const crossing = point && acrossSwap(point, from);
    const swap: SwapResolution = facts.swaps[ref.token] && crossing?.app !== PACKAGE_APP
      ? { token: ref.token, app: facts.swaps[ref.token]!.app, className: facts.swaps[ref.token]!.className }
      : { token: ref.token, app: PACKAGE_APP, className: ref.token };
    // After a swap migration, the custom table exists from that migration on, not from its app's first.
    const target = crossing?.key ?? firstOf(swap.app);
    if (!target) {
      problems.push(MigrationProblem.noFirstMigration(ref.at, ref.token, swap.app, swap.className, whyNoFirst(swap.app)));
      return undefined;
    }
    return { from, to: target, ref, swap };
  }
  const target = ref.name === '__first__' ? firstOf(ref.app) : ref.name === '__latest__' ? graph.leafNodes(ref.app)[0]?.key : keyString(ref);
  if (target && graph.has(target)) return { from, to: target, ref };
  problems.push(MigrationProblem.missingDependency(ref.at, from, `('${ref.app}', '${ref.name}')`, missingHint(graph, facts, from, ref)));
  return undefined;
}

/** What to say of a dependency on a migration that is not there: the closest app or name, or why there is none. */
function missingHint(graph: MigrationGraph, facts: ProjectFacts, from: string, ref: Extract<DependencyRef, { kind: 'migration' }>): string {
  const labels = facts.apps.map(a => a.label);
  if (!labels.includes(ref.app)) return ` No app '${ref.app}' is declared (apps: ${labels.join(', ')}).${didYouMean(ref.app, labels)}`;
  const appNames = graph.appNodes(ref.app).map(n => n.name).filter(name => keyString({ app: ref.app, name }) !== from);
  if (appNames.length > 0) return didYouMean(ref.name, appNames);
  return from.startsWith(`${ref.app}.`)
    ? ` App '${ref.app}' has no other migration: fix the name, or remove the dependency.`
    : ` App '${ref.app}' has no migration yet.`;
}
