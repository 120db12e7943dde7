/**
 * The cycles of a migration graph, sorted into the two kinds the tool treats differently: swap
 * cycles, closed by `0002_initial` depending on the first migration of an app that owns a swapped
 * model (one per swapped setting, so each is named), and the genuine cycles left once every custom
 * migration's dependency on `0002_initial` is set aside. Pure: no I/O.
 */
import { compareKeys, type GraphEdge, type MigrationGraph } from './graph.js';
import { PACKAGE_APP, PACKAGE_SECOND } from './types.js';

/** A cycle through `0002_initial`, from the custom migration that depends on it back to it. */
export interface SwapCycle {
  readonly kind: 'swap';
  readonly edges: readonly GraphEdge[];
  /** The custom migration's dependency on `0002_initial` that closes it: what `fix` repoints. */
  readonly entry: GraphEdge;
}

/** A cycle no repoint of `0002_initial` breaks. */
export interface GenuineCycle {
  readonly kind: 'genuine';
  readonly edges: readonly GraphEdge[];
}

/** Every cycle of a graph, as the tool reports them. */
export interface CycleAnalysis {
  readonly swapCycles: readonly SwapCycle[];
  readonly genuineCycles: readonly GenuineCycle[];
  /** Every custom migration's dependency on `0002_initial` that lies on a cycle (all of them need repointing). */
  readonly entries: readonly GraphEdge[];
}

/** Whether an edge is a custom migration's own dependency on `0002_initial` (one `fix` can rewrite). */
export function isSecondEntry(graph: MigrationGraph, edge: GraphEdge): boolean {
  return edge.to === PACKAGE_SECOND && edge.ref.kind === 'migration' && graph.node(edge.from)!.app !== PACKAGE_APP;
}

/** Finds the swap cycles (one per swapped setting of `0002_initial` caught in one) and the genuine cycles. */
export function analyseCycles(graph: MigrationGraph): CycleAnalysis {
  const swapCycles: SwapCycle[] = [];
  const entries: GraphEdge[] = [];
  const components = graph.cyclicComponents();
  for (const component of components) {
    if (!component.includes(PACKAGE_SECOND)) continue;
    const members = new Set(component);
    for (const key of component) {
      for (const edge of graph.dependenciesOf(key)) if (members.has(edge.to) && isSecondEntry(graph, edge)) entries.push(edge);
    }
    const found = new Map<string, SwapCycle>();
    const add = (edges: GraphEdge[]) => {
      const signature = edges.map(e => `${e.from}>${e.to}:${e.swap?.token ?? ''}`).join(' ');
      if (!found.has(signature)) found.set(signature, { kind: 'swap', edges, entry: edges[0]! });
    };
    // One cycle through each dependency fix must repoint, read from that custom migration...
    for (const entry of entries.filter(e => members.has(e.from))) {
      const back = shortestPath(graph, members, PACKAGE_SECOND, entry.from);
      if (back) add([entry, ...back]);
    }
    // ...and one through each swapped setting 0002_initial waits for, so every one is named.
    const outgoing = [...graph.dependenciesOf(PACKAGE_SECOND)].filter(e => members.has(e.to)).sort((a, b) => compareKeys(a.to, b.to) || compareKeys(a.swap?.token ?? '', b.swap?.token ?? ''));
    for (const out of outgoing) {
      if ([...found.values()].some(cycle => cycle.edges.includes(out))) continue;
      const back = shortestPath(graph, members, out.to, PACKAGE_SECOND);
      if (back) add([back[back.length - 1]!, out, ...back.slice(0, -1)]);
    }
    swapCycles.push(...found.values());
  }
  // Taking edges out only breaks cycles: what is left lies inside the components found above.
  const genuineCycles = withoutEdges(graph, entries, () =>
    graph.cyclicComponents(new Set(components.flat())).map(component => {
      const start = component.find(key => graph.node(key)!.app !== PACKAGE_APP) ?? component[0]!;
      return { kind: 'genuine' as const, edges: graph.cycleIn(component, start) };
    }),
  );
  return { swapCycles, genuineCycles, entries };
}

/** Runs `body` on the graph with some edges taken out, and puts them back. */
export function withoutEdges<T>(graph: MigrationGraph, edges: readonly GraphEdge[], body: () => T, added: readonly GraphEdge[] = []): T {
  for (const edge of edges) graph.removeDependency(edge);
  for (const edge of added) graph.addDependency(edge);
  try {
    return body();
  } finally {
    for (const edge of added) graph.removeDependency(edge);
    for (const edge of edges) graph.addDependency(edge);
  }
}

/** The shortest walk of edges from `from` to `to` inside `members` (neighbours in key order), if any. */
function shortestPath(graph: MigrationGraph, members: ReadonlySet<string>, from: string, to: string): GraphEdge[] | undefined {
  if (from === to) return [];
  const cameBy = new Map<string, GraphEdge>();
  const queue = [from];
  for (let i = 0; i < queue.length; i++) {
    const key = queue[i]!;
    const edges = [...graph.dependenciesOf(key)].filter(e => members.has(e.to)).sort((a, b) => compareKeys(a.to, b.to));
    for (const edge of edges) {
      if (edge.to === from || cameBy.has(edge.to)) continue;
      cameBy.set(edge.to, edge);
      if (edge.to === to) {
        const path: GraphEdge[] = [];
        for (let at = to; at !== from; at = cameBy.get(at)!.from) path.unshift(cameBy.get(at)!);
        return path;
      }
      queue.push(edge.to);
    }
  }
  return undefined;
}
