/**
 * Where a swap migration sits in the history. A migration written by `chat-migrate swap` moves a
 * token's rows from the package's default table to the custom one on a database migrated before
 * the swap: the migrations it depends on ran with the default model, so their `swappable(Token)`
 * means the package's own model; every other migration's means the custom table, which the swap
 * migration brings in. That keeps the graph acyclic and an already-applied `0002_initial` consistent.
 */
import type { SwapToken } from '../../swappable/tokens.js';
import type { MigrationGraph } from '../graph.js';
import type { ProjectFacts } from '../project.js';
import { PACKAGE_APP } from '../types.js';

/** The swap migration of one token and the migrations that ran before it. */
export interface SwapPoint {
  readonly token: SwapToken;
  /** The swap migration's key and app. */
  readonly key: string;
  readonly app: string;
  /** Every migration it depends on, directly or not (its plain dependencies). */
  readonly before: ReadonlySet<string>;
}

/**
 * The swap migration of each swapped token whose owning app has one (the first by key if there
 * are several). Call it once the plain dependencies are in the graph: `before` follows them.
 */
export function swapPoints(graph: MigrationGraph, swaps: ProjectFacts['swaps']): Map<SwapToken, SwapPoint> {
  const points = new Map<SwapToken, SwapPoint>();
  for (const node of graph.nodes()) {
    for (const token of node.declaration.swaps ?? []) {
      // A swap migration of a token the settings no longer swap, or swap to another app's class, moves nothing the graph knows of.
      if (points.has(token) || swaps[token]?.app !== node.app) continue;
      points.set(token, { token, key: node.key, app: node.app, before: graph.ancestors(node.key) });
    }
  }
  return points;
}

/** Where `swappable(token)` of migration `from` points: the package's default before the swap, the swap migration after it. */
export function acrossSwap(point: SwapPoint, from: string): { readonly app: string; readonly key?: string } {
  if (from === point.key || point.before.has(from)) return { app: PACKAGE_APP };
  return { app: point.app, key: point.key };
}
