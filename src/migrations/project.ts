/** What the migration tool knows of a project: its apps, their folders, and the swapped models. */
import type { SwapToken } from '../swappable/tokens.js';

/** One app with migrations. */
export interface AppFacts {
  readonly label: string;
  /** Absolute folder of its migration sources (what the tool reads). */
  readonly dir: string;
  /** Absolute folder of the compiled modules the app runs, when they live apart from the sources (`{ path, pathTs }`). */
  readonly compiledDir?: string;
}

/** The app and class behind a swapped token. */
export interface SwapFacts {
  readonly app: string;
  readonly className: string;
}

/** The facts the tool reads from the project's config, cached between runs. */
export interface ProjectFacts {
  /** The folder paths are reported relative to (the config's folder). */
  readonly root: string;
  readonly configFile: string;
  /** The package's app first, then the user apps in config order. */
  readonly apps: readonly AppFacts[];
  /** Swapped tokens only. */
  readonly swaps: Readonly<Partial<Record<SwapToken, SwapFacts>>>;
  /** Tables that exist once the package's `0001_initial` ran (for these settings). */
  readonly firstMigrationTables: readonly string[];
  /** Constraint names the package's `0002_initial` creates (for these settings). */
  readonly secondMigrationNames: readonly string[];
}
