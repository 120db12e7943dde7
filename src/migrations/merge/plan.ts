/**
 * What `chat-migrate merge` writes: for each app with several latest migrations (two branches each
 * added one), one migration in the app's folder that depends on all of them, as Django's
 * `makemigrations --merge` does. Pure: reads the graph, writes nothing.
 */
import { join } from 'node:path';
import type { MigrationGraph } from '../graph.js';
import type { AppFacts } from '../project.js';
import { mergeMigrationName } from './name.js';
import { renderMergeMigration } from './render.js';

/** One merge migration to write. */
export interface PlannedMerge {
  readonly app: string;
  /** The latest migrations it merges, sorted. */
  readonly leaves: readonly string[];
  readonly name: string;
  readonly file: string;
  readonly content: string;
}

/** The extension of the new file: that of the app's latest migration, `.ts` and `.js` for CommonJS ones. */
function extensionOf(file: string): string {
  const ext = /\.([cm]?[jt]s)$/.exec(file)?.[1] ?? 'ts';
  return ext === 'cts' ? 'ts' : ext === 'cjs' ? 'js' : ext;
}

/** The merge migrations of these apps: one for each with more than one latest migration. */
export function planMerges(graph: MigrationGraph, apps: readonly AppFacts[], now: Date = new Date()): PlannedMerge[] {
  const out: PlannedMerge[] = [];
  for (const app of apps) {
    const leaves = graph.leafNodes(app.label);
    if (leaves.length < 2) continue;
    const { name, className } = mergeMigrationName(graph.appNodes(app.label).map(node => node.name), now);
    const ext = extensionOf(leaves[leaves.length - 1]!.declaration.file);
    const names = leaves.map(leaf => leaf.name);
    out.push({ app: app.label, leaves: names, name, file: join(app.dir, `${name}.${ext}`), content: renderMergeMigration(app.label, className, names, /ts$/.test(ext)) });
  }
  return out;
}
