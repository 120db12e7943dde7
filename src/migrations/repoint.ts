/**
 * Plans `chat-migrate fix`: in each cycle, the custom migrations that depend on the package's
 * `0002_initial` are repointed to `0001_initial` (the guide's manual fix), but only when that
 * breaks the cycle and the migration provably needs nothing `0002_initial` brings. Pure: no I/O.
 */
import { compareKeys, type GraphEdge, type MigrationGraph } from './graph.js';
import { formatCycle } from './problems.js';
import type { ProjectFacts } from './project.js';
import { relativeTo } from './paths.js';
import { PACKAGE_APP, type TextSpan } from './types.js';

export const SECOND = `${PACKAGE_APP}.0002_initial`;
export const FIRST = `${PACKAGE_APP}.0001_initial`;

/** One dependency to rewrite. */
export interface Repoint {
  readonly migration: string;
  readonly file: string;
  readonly line: number;
  readonly span: TextSpan;
}

/** A cycle the tool will not mend, and why. */
export interface Unmendable {
  readonly cycle: string;
  readonly reason: string;
}

/** What `fix` would do. */
export interface FixPlan {
  readonly repoints: Repoint[];
  readonly unmendable: Unmendable[];
}

/** Plans the repoints that break every cycle, or says which cycles cannot be mended and why. */
export function planFix(graph: MigrationGraph, facts: ProjectFacts): FixPlan {
  const components = graph.cyclicComponents();
  const repoints: Repoint[] = [];
  const unmendable: Unmendable[] = [];
  const removed: GraphEdge[] = [];
  const added: GraphEdge[] = [];
  const candidatesOf = new Map<readonly string[], GraphEdge[]>();

  for (const component of components) {
    const members = new Set(component);
    const candidates = component.flatMap(key =>
      graph.dependenciesOf(key).filter(e => e.to === SECOND && members.has(SECOND) && graph.node(key)!.app !== PACKAGE_APP && e.ref.kind === 'migration'),
    );
    candidatesOf.set(component, candidates);
    if (candidates.length === 0) {
      unmendable.push({
        cycle: formatCycle(graph.cycleIn(component)),
        reason: `no custom migration in it depends on ${SECOND}, so it is not the cycle the package's swappable models cause: break it by hand`,
      });
      continue;
    }
    if (!graph.has(FIRST)) {
      unmendable.push({ cycle: formatCycle(graph.cycleIn(component)), reason: `${FIRST} is missing, so there is nothing to repoint to` });
      continue;
    }
    for (const edge of candidates) {
      graph.removeDependency(edge);
      removed.push(edge);
      if (!graph.dependenciesOf(edge.from).some(e => e.to === FIRST)) {
        const replacement: GraphEdge = { from: edge.from, to: FIRST, ref: edge.ref };
        graph.addDependency(replacement);
        added.push(replacement);
      }
    }
  }

  try {
    const remaining = graph.cyclicComponents();
    for (const [component, candidates] of candidatesOf) {
      if (candidates.length === 0) continue;
      const still = remaining.find(c => c.some(key => component.includes(key)));
      if (still) {
        unmendable.push({
          cycle: formatCycle(graph.cycleIn(still)),
          reason: `repointing ${candidates.map(c => c.from).join(', ')} to ${FIRST} leaves this cycle, which no repoint can break: break it by hand`,
        });
        continue;
      }
      for (const edge of candidates) {
        const problem = unsafeBecause(graph, facts, edge.from);
        if (problem) {
          unmendable.push({ cycle: formatCycle([edge]), reason: `repointing ${edge.from} to ${FIRST} is not safe: ${problem}` });
          continue;
        }
        const node = graph.node(edge.from)!;
        if (edge.ref.kind !== 'migration') continue;
        repoints.push({ migration: edge.from, file: node.declaration.file, line: edge.ref.at.line, span: edge.ref.nameSpan });
      }
    }
  } finally {
    for (const edge of added) graph.removeDependency(edge);
    for (const edge of removed) graph.addDependency(edge);
  }
  repoints.sort((a, b) => compareKeys(a.file, b.file) || a.span.start - b.span.start);
  return { repoints, unmendable };
}

/** Why a migration, once repointed, might run before something it needs (undefined: it is safe). */
function unsafeBecause(graph: MigrationGraph, facts: ProjectFacts, key: string): string | undefined {
  const declaration = graph.node(key)!.declaration;
  const sql = declaration.sql;
  if (sql.dynamicAt) {
    return `its up() builds SQL at run time (${relativeTo(facts.root, sql.dynamicAt.file)}:${sql.dynamicAt.line}), so what it needs cannot be checked; repoint it by hand if you are sure`;
  }
  const fromSecond = sql.needsNames.filter(name => facts.secondMigrationNames.includes(name));
  if (fromSecond.length > 0) return `it uses ${fromSecond.join(', ')}, which ${SECOND} creates`;
  const available = new Set(facts.firstMigrationTables);
  for (const ancestor of graph.ancestors(key)) {
    for (const table of graph.node(ancestor)!.declaration.sql.createsTables) available.add(table);
  }
  const missing = sql.needsTables.filter(table => !available.has(table));
  if (missing.length > 0) return `it needs ${missing.map(t => `"${t}"`).join(', ')}, which no migration it would depend on creates`;
  return undefined;
}
