/** The database's history against the migration graph: applied migrations whose dependencies are not all applied. Pure. */
import type { MigrationGraph } from './graph.js';

/** Each applied migration with a dependency that is not applied, in run order. */
export function inconsistentHistory(graph: MigrationGraph, applied: ReadonlySet<string>): { migration: string; missing: string }[] {
  const out: { migration: string; missing: string }[] = [];
  for (const key of graph.topologicalOrder()) {
    if (!applied.has(key)) continue;
    for (const edge of graph.dependenciesOf(key)) if (!applied.has(edge.to)) out.push({ migration: key, missing: edge.to });
  }
  return out;
}

/** The message both `chat-migrate migrate` and the package's migrator refuse with: one line per fact, then what to do. */
export function inconsistentHistoryMessage(broken: readonly { migration: string; missing: string }[], rerun: string): string {
  return [
    'the database history is inconsistent with the migration graph; nothing was applied:',
    ...broken.map(b => `  ${b.migration} is applied, but its dependency ${b.missing} is not.`),
    `Apply the missing dependenc${broken.length > 1 ? 'ies' : 'y'} by hand or restore the database, then run ${rerun} again.`,
  ].join('\n');
}
