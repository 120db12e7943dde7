/** The database's history against the migration graph: applied migrations whose dependencies are not all applied. Pure. */
import type { MigrationGraph, SwapResolution } from './graph.js';
import { PACKAGE_APP } from './types.js';

/** An applied migration with a dependency that is not applied; `swap` when that dependency is a swapped model's (the database ran it with the default). */
export interface HistoryGap {
  readonly migration: string;
  readonly missing: string;
  readonly swap?: SwapResolution;
}

/** Each applied migration with a dependency that is not applied, in run order. */
export function inconsistentHistory(graph: MigrationGraph, applied: ReadonlySet<string>): HistoryGap[] {
  const out: HistoryGap[] = [];
  for (const key of graph.topologicalOrder()) {
    if (!applied.has(key)) continue;
    for (const edge of graph.dependenciesOf(key)) {
      if (applied.has(edge.to)) continue;
      out.push({ migration: key, missing: edge.to, ...(edge.swap && edge.swap.app !== PACKAGE_APP ? { swap: edge.swap } : {}) });
    }
  }
  return out;
}

/** The message both `chat-migrate migrate` and the package's migrator refuse with: one line per fact, then what to do. */
export function inconsistentHistoryMessage(broken: readonly HistoryGap[], rerun: string): string {
  const lines = ['the database history is inconsistent with the migration graph; nothing was applied:'];
  for (const gap of broken) {
    lines.push(`  ${gap.migration} is applied, but its dependency ${gap.missing} is not.`);
    // The database ran this migration with the default model: a swap migration moves it, nothing by hand.
    if (gap.swap) {
      lines.push(
        `  ${gap.migration} ran with the package's default ${gap.swap.token}, which the settings now swap for ${gap.swap.app}.${gap.swap.className}: ` +
          `if no database applied ${gap.missing}, delete it and run chat-migrate swap ${gap.swap.token}, which writes the migration that moves the rows.`,
      );
    }
  }
  if (!broken.some(gap => gap.swap)) lines.push(`Apply the missing dependenc${broken.length > 1 ? 'ies' : 'y'} by hand or restore the database, then run ${rerun} again.`);
  return lines.join('\n');
}
