/** The project the running process configured through `chatOrmConfig`: settings, apps, and the ordered migrations. */
import type { ChatSettings } from '../settings/types.js';
import type { AppRegistry } from './apps.js';
import type { MigrationGraph } from './graph.js';
import type { MigrationProblem } from './problems.js';
import type { StaleApp } from './stale-compiled.js';

/** What `chatOrmConfig` learnt about the project. */
export interface ActiveProject {
  readonly settings: ChatSettings;
  readonly apps: AppRegistry;
  /** The folder relative paths start from (MikroORM's `baseDir`). */
  readonly baseDir: string;
  /** The graph of the imported migrations (absent when the config was read by the migration tool only). */
  readonly graph?: MigrationGraph;
  /** What keeps the migrations from running (a cycle, a missing dependency...), if anything. */
  readonly problems: readonly MigrationProblem[];
  /** Compiled migrations out of step with their sources, looked for only when there are problems: often their cause. */
  readonly stale?: readonly StaleApp[];
}

let active: ActiveProject | undefined;

/** Records the project of the last `chatOrmConfig` call. */
export function activateProject(project: ActiveProject): void {
  active = project;
}

/** The project of the last `chatOrmConfig` call; throws when there was none. */
export function activeProject(): ActiveProject {
  if (!active) throw new Error('No project is configured: build the MikroORM options with chatOrmConfig(settings, { apps })');
  return active;
}
