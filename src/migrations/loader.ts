/**
 * Builds the migration graph from what each file declares and what the project config says:
 * resolves `swappable(Token)` through the swapped models (Django's `__first__` of the owning
 * app), and reports every problem as data instead of stopping at the first.
 */
import { didYouMean } from '../settings/suggest.js';
import { compareKeys, MigrationGraph, type GraphEdge, type SwapResolution } from './graph.js';
import { MigrationProblem } from './problems.js';
import { acrossSwap, swapPoints, type SwapPoint } from './swap/history.js';
import type { ProjectFacts } from './project.js';
import { PACKAGE_APP, type DependencyRef, type MigrationDeclaration, type ParseFailure } from './types.js';

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

/** Builds the graph of every read migration for a project. */
export function buildGraph(facts: ProjectFacts, files: readonly ReadMigration[]): LoadedGraph {
  const graph = new MigrationGraph();
  const problems: MigrationProblem[] = [];
  const appLabels = facts.apps.map(a => a.label);
  const byKey = new Map<string, MigrationDeclaration[]>();

  for (const { folderApp, result } of files) {
    if ('message' in result) {
      problems.push(MigrationProblem.parseError(result));
      continue;
    }
    if (!appLabels.includes(result.app)) {
      problems.push(MigrationProblem.unknownApp(result.appAt, result.app, appLabels));
      continue;
    }
    if (result.app !== folderApp) {
      problems.push(MigrationProblem.appFolderMismatch(result.appAt, result.app, folderApp));
      continue;
    }
    const key = `${result.app}.${result.name}`;
    byKey.set(key, [...(byKey.get(key) ?? []), result]);
  }
  for (const [key, declarations] of [...byKey].sort(([a], [b]) => compareKeys(a, b))) {
    const sorted = [...declarations].sort((a, b) => compareKeys(a.file, b.file));
    if (sorted.length > 1) problems.push(MigrationProblem.duplicate(key, sorted.map(d => d.file), facts.root));
    graph.addNode(sorted[0]!);
  }

  // Plain dependencies first: an app's first and latest migrations are only known once they are all in.
  const isPlain = (ref: DependencyRef) => ref.kind === 'migration' && ref.name !== '__first__' && ref.name !== '__latest__';
  const deferred: [string, DependencyRef][] = [];
  for (const node of graph.nodes()) {
    for (const ref of node.declaration.dependencies) {
      if (!isPlain(ref)) {
        deferred.push([node.key, ref]);
        continue;
      }
      const edge = resolve(graph, facts, node.key, ref, () => undefined, problems);
      if (edge) graph.addDependency(edge);
    }
  }
  const firsts = new Map<string, string | undefined>();
  const firstOf = (app: string) => {
    if (!firsts.has(app)) firsts.set(app, graph.rootNodes(app)[0]?.key);
    return firsts.get(app);
  };
  const points = swapPoints(graph, facts.swaps);
  const resolved = deferred.map(([from, ref]) => resolve(graph, facts, from, ref, firstOf, problems, points));
  for (const edge of resolved) if (edge) graph.addDependency(edge);
  // A cycle reads best from an app's migration (the one a fix would touch) rather than from the package's.
  for (const component of graph.cyclicComponents()) {
    const start = component.find(key => graph.node(key)!.app !== PACKAGE_APP) ?? component[0]!;
    problems.push(MigrationProblem.circular(graph.cycleIn(component, start)));
  }
  for (const app of appLabels) {
    const leaves = graph.leafNodes(app);
    if (leaves.length > 1) problems.push(MigrationProblem.multipleLeaves(app, leaves.map(l => l.name), leaves[1]!.declaration.appAt));
  }
  problems.sort(
    (a, b) => PROBLEM_ORDER.indexOf(a.code) - PROBLEM_ORDER.indexOf(b.code) || compareKeys(a.at?.file ?? '', b.at?.file ?? '') || (a.at?.line ?? 0) - (b.at?.line ?? 0),
  );
  return { graph, problems };
}

function resolve(
  graph: MigrationGraph,
  facts: ProjectFacts,
  from: string,
  ref: DependencyRef,
  firstOf: (app: string) => string | undefined,
  problems: MigrationProblem[],
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
      problems.push(MigrationProblem.noFirstMigration(ref.at, ref.token, swap.app, swap.className));
      return undefined;
    }
    return { from, to: target, ref, swap };
  }
  const target = ref.name === '__first__' ? firstOf(ref.app) : ref.name === '__latest__' ? graph.leafNodes(ref.app)[0]?.key : `${ref.app}.${ref.name}`;
  if (target && graph.has(target)) return { from, to: target, ref };
  const appNames = graph.appNodes(ref.app).map(n => n.name).filter(name => `${ref.app}.${name}` !== from);
  const hint =
    appNames.length === 0
      ? ` No migration of app '${ref.app}' is known (apps: ${facts.apps.map(a => a.label).join(', ')}).`
      : didYouMean(ref.name, appNames);
  problems.push(MigrationProblem.missingDependency(ref.at, from, `('${ref.app}', '${ref.name}')`, hint));
  return undefined;
}
