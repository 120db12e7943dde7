/**
 * What to say after a command wrote migration sources of an app that runs compiled modules
 * (`{ path, pathTs }`): the app imports the build, which does not have the change until it is
 * rebuilt; started before, it refuses with `stale_compiled_migrations`.
 */
import { relativeTo } from '../paths.js';
import type { ProjectFacts } from '../project.js';

/** The sentence for the apps whose sources were written, or undefined when none runs compiled modules. */
export function rebuildNote(facts: ProjectFacts, changedApps: Iterable<string>): string | undefined {
  const changed = new Set(changedApps);
  const compiled = facts.apps.filter(app => changed.has(app.label) && app.compiledDir !== undefined);
  if (compiled.length === 0) return undefined;
  const folders = compiled.map(app => relativeTo(facts.root, app.compiledDir!)).join(', ');
  return `Rebuild (npm run build, or tsc) before the app starts: it runs the compiled migrations in ${folders}, which do not have this change yet.`;
}
