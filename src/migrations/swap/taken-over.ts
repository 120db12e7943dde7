/**
 * The tables a swap migration brings in, as the running application sees them: the package's
 * `0002_initial` leaves the keys to them to that swap migration, which adds them after it
 * created the table (on a database migrated before the swap, it moves them from the old table).
 */
import type { EntityManager } from '@mikro-orm/core';
import { activeProject } from '../active-project.js';
import type { SwapFacts } from '../project.js';
import { swapPoints } from './history.js';

/** Tables of the custom models that a swap migration of the active project brings in. */
export function tablesSwappedIn(em: EntityManager): Set<string> {
  const project = activeProject();
  const tables = new Set<string>();
  if (!project.graph) return tables;
  const swaps: Record<string, SwapFacts> = {};
  for (const node of project.graph.nodes()) {
    for (const token of node.declaration.swaps ?? []) {
      const cls = project.settings.models[token];
      swaps[token] = { app: project.apps.appOf(cls), className: cls.name };
    }
  }
  for (const point of swapPoints(project.graph, swaps).values()) {
    const table = em.getMetadata().find(project.settings.models[point.token].name)?.tableName;
    if (table) tables.add(table);
  }
  return tables;
}
