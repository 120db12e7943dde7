/**
 * Plans `chat-migrate fix`, for `check` and `fix` alike (so `check` says exactly what `fix` will
 * do): every custom migration's dependency on the package's `0002_initial` that lies on a cycle is
 * repointed to `0001_initial` (the guide's manual fix) when the migration provably needs nothing
 * `0002_initial` brings; each that is not is refused with the reason, and the cycles a fix leaves
 * are listed with theirs. Pure: no I/O.
 */
import { analyseCycles, isSecondEntry, withoutEdges, type CycleAnalysis, type GenuineCycle, type SwapCycle } from './cycles.js';
import { compareKeys, type GraphEdge, type MigrationGraph } from './graph.js';
import { formatCycle } from './problems.js';
import type { ProjectFacts } from './project.js';
import { relativeTo } from './paths.js';
import { PACKAGE_FIRST, PACKAGE_SECOND, type TextSpan } from './types.js';

/** One dependency to rewrite: the string literal at `span` of `file`, which holds `written` now. */
export interface Repoint {
  readonly migration: string;
  readonly file: string;
  readonly line: number;
  readonly span: TextSpan;
  /** The name as written (`0002_initial`, or `__latest__`, which resolves to it). */
  readonly written: string;
}

/** A dependency on `0002_initial` that `fix` will not rewrite, and why. */
export interface Refused {
  readonly migration: string;
  readonly reason: string;
}

/** A cycle that is still there after `fix`, and why. */
export interface Unmendable {
  readonly cycle: string;
  readonly reason: string;
}

/** What `fix` will do. */
export interface FixPlan {
  /** Every edit, sorted by file and position. */
  readonly repoints: readonly Repoint[];
  /** The dependencies on `0002_initial` caught in a cycle that stay as they are. */
  readonly refused: readonly Refused[];
  /** The cycles left once the repoints are made. */
  readonly unmendable: readonly Unmendable[];
  /** The files `fix` changes, sorted. */
  readonly files: readonly string[];
}

/** What `fix` does about one cycle `check` reports. */
export function verdictOn(plan: FixPlan, graph: MigrationGraph, cycle: readonly GraphEdge[]): { mendedBy: string } | { reason: string } {
  const entry = cycle.find(edge => isSecondEntry(graph, edge));
  if (!entry) {
    return { reason: `no custom migration in it depends on ${PACKAGE_SECOND}, so it is not the cycle the package's swappable models cause: break it by hand` };
  }
  if (plan.repoints.some(r => r.migration === entry.from)) return { mendedBy: entry.from };
  return { reason: plan.refused.find(r => r.migration === entry.from)?.reason ?? `${entry.from} cannot be repointed` };
}

/** Plans the repoints that mend the swap cycles, and says what stays and why (`cycles`: the graph's, if already found). */
export function planFix(graph: MigrationGraph, facts: ProjectFacts, cycles: CycleAnalysis = analyseCycles(graph)): FixPlan {
  const { entries } = cycles;
  const refused: Refused[] = [];
  const safe: GraphEdge[] = [];
  if (entries.length > 0 && !graph.has(PACKAGE_FIRST)) {
    for (const edge of entries) refused.push({ migration: edge.from, reason: `${PACKAGE_FIRST} is missing, so there is nothing to repoint to` });
  } else {
    // Judged with every entry repointed: the fewest ancestors, so the safety check is the strictest.
    withoutEdges(graph, entries, () => {
      for (const edge of entries) {
        const problem = unsafeBecause(graph, facts, edge.from);
        if (problem) refused.push({ migration: edge.from, reason: `repointing ${edge.from} to ${PACKAGE_FIRST} is not safe: ${problem}` });
        else safe.push(edge);
      }
    }, replacements(graph, entries));
  }
  const left = withoutEdges(graph, safe, () => analyseCycles(graph), replacements(graph, safe));
  const unmendable: Unmendable[] = [
    ...left.swapCycles.map((cycle: SwapCycle) => ({
      cycle: formatCycle(cycle.edges),
      reason: refused.find(r => r.migration === cycle.entry.from)?.reason ?? `${cycle.entry.from} cannot be repointed`,
    })),
    ...left.genuineCycles.map((cycle: GenuineCycle) => ({
      cycle: formatCycle(cycle.edges),
      reason: `no custom migration in it depends on ${PACKAGE_SECOND}, so no repoint can break it: break it by hand`,
    })),
  ];
  const repoints = safe
    .map(edge => {
      const ref = edge.ref as Extract<GraphEdge['ref'], { kind: 'migration' }>;
      return { migration: edge.from, file: graph.node(edge.from)!.declaration.file, line: ref.at.line, span: ref.nameSpan, written: ref.name };
    })
    .sort((a, b) => compareKeys(a.file, b.file) || a.span.start - b.span.start);
  refused.sort((a, b) => compareKeys(a.migration, b.migration));
  return { repoints, refused, unmendable, files: [...new Set(repoints.map(r => r.file))].sort(compareKeys) };
}

/** The edges to `0001_initial` that replace these, for migrations that do not depend on it already. */
function replacements(graph: MigrationGraph, edges: readonly GraphEdge[]): GraphEdge[] {
  if (!graph.has(PACKAGE_FIRST)) return [];
  const seen = new Set<string>();
  return edges
    .filter(edge => !graph.dependenciesOf(edge.from).some(e => e.to === PACKAGE_FIRST) && !seen.has(edge.from) && seen.add(edge.from))
    .map(edge => ({ from: edge.from, to: PACKAGE_FIRST, ref: edge.ref }));
}

/** Why a migration, once repointed, might run before something it needs (undefined: it is safe). */
function unsafeBecause(graph: MigrationGraph, facts: ProjectFacts, key: string): string | undefined {
  const declaration = graph.node(key)!.declaration;
  const sql = declaration.sql;
  if (sql.dynamicAt) {
    return `its up() builds SQL at run time (${relativeTo(facts.root, sql.dynamicAt.file)}:${sql.dynamicAt.line}), so what it needs cannot be checked; repoint it by hand if you are sure`;
  }
  const fromSecond = sql.needsNames.filter(name => facts.secondMigrationNames.includes(name));
  if (fromSecond.length > 0) return `it uses ${fromSecond.join(', ')}, which ${PACKAGE_SECOND} creates`;
  const available = new Set(facts.firstMigrationTables);
  for (const ancestor of graph.ancestors(key)) {
    for (const table of graph.node(ancestor)!.declaration.sql.createsTables) available.add(table);
  }
  const missing = sql.needsTables.filter(table => !available.has(table));
  if (missing.length > 0) return `it needs ${missing.map(t => `"${t}"`).join(', ')}, which no migration it would depend on creates`;
  return undefined;
}
