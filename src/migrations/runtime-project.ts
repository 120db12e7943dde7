/**
 * The project as the running application sees it: the apps' migration modules imported, their
 * static dependencies read from the classes, and the whole graph ordered for MikroORM's
 * `migrationsList`, so `npx mikro-orm migration:up` and `chat-migrate migrate` agree.
 */
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Migration } from '@mikro-orm/migrations';
import { ChatError } from '../errors/chat-error.js';
import type { ChatSettings } from '../settings/types.js';
import { defaultModel } from '../swappable/registry.js';
import { SWAP_TOKENS, type SwapToken } from '../swappable/tokens.js';
import type { AppRegistry, ChatApp } from './apps.js';
import { buildGraph, type LoadedGraph, type ReadMigration } from './loader.js';
import type { MigrationProblem } from './problems.js';
import type { StaleApp } from './stale-compiled.js';
import type { MigrationGraph } from './graph.js';
import { isTypeScriptMigration, listMigrationFiles, runnableMigrationFiles } from './migration-files.js';
import { migrationNameOf } from './parse.js';
import { toolState } from './tool-state.js';
import type { AppFacts, ProjectFacts, SwapFacts } from './project.js';
import type { MigrationDependency, SwappableDependency } from './swappable-dependency.js';
import { keyString, PACKAGE_APP, type DependencyRef, type MigrationDeclaration } from './types.js';
import { PACKAGE_MIGRATIONS_DIR } from './paths.js';

/** A migration class as the package expects it: MikroORM's, with static `app` and `dependencies`. */
export type ChatMigrationClass = (new (...args: ConstructorParameters<typeof Migration>) => Migration) & {
  readonly app?: string;
  readonly dependencies?: readonly MigrationDependency[];
  /** Tokens a swap migration moves from the package's default table. */
  readonly swaps?: readonly SwapToken[];
};

/** One imported migration module. */
export interface MigrationModule {
  readonly app: string;
  readonly name: string;
  readonly file: string;
  readonly migration: ChatMigrationClass;
}

/** Whether this process can import TypeScript modules (a TypeScript loader is active). */
export function canImportTypeScript(): boolean {
  const flags = `${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`;
  return /ts-node|tsx/.test(flags) || toolState().typescriptHooks || Symbol.for('ts-node.register.instance') in process;
}

/** The folder of an app whose modules this process imports. */
export function runtimeDir(app: ChatApp, baseDir: string): string {
  return resolve(baseDir, app.pathTs && canImportTypeScript() ? app.pathTs : app.path);
}

/** The folder of an app whose sources the migration tool reads. */
export function sourceDir(app: ChatApp, baseDir: string): string {
  return resolve(baseDir, app.pathTs ?? app.path);
}

/** The swapped tokens with the app and class behind each. */
export function swapFacts(settings: ChatSettings, registry: AppRegistry): Partial<Record<string, SwapFacts>> {
  const swaps: Record<string, SwapFacts> = {};
  for (const token of SWAP_TOKENS) {
    const cls = settings.models[token];
    if (cls !== defaultModel(token)) swaps[token] = { app: registry.appOf(cls), className: cls.name };
  }
  return swaps;
}

/** Imports every app's migration modules, the package's first. */
export async function importMigrationModules(registry: AppRegistry, baseDir: string): Promise<MigrationModule[]> {
  const typescript = canImportTypeScript();
  const folders: [string, string][] = [[PACKAGE_APP, PACKAGE_MIGRATIONS_DIR], ...registry.apps.map(app => [app.label, runtimeDir(app, baseDir)] as [string, string])];
  const modules: MigrationModule[] = [];
  for (const [app, dir] of folders) {
    let files = runnableMigrationFiles(dir, typescript);
    if (files.length === 0 && !typescript) files = await typescriptOnly(app, dir);
    for (const file of files) {
      const exported = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
      const migration = Object.values(exported).find(
        (value): value is ChatMigrationClass => typeof value === 'function' && typeof (value as { app?: unknown }).app === 'string',
      );
      if (!migration) {
        throw new ChatError('migration_error', `${file} exports no migration class with a static app (expected: static readonly app = '${app}';)`);
      }
      modules.push({ app, name: migrationNameOf(file), file, migration });
    }
  }
  return modules;
}

/**
 * A folder with TypeScript migrations only, in a process without a known TypeScript loader: if
 * this runtime imports TypeScript anyway (Bun, Vitest, Node's type stripping...), they are the
 * app's migrations; if it cannot, the app is refused with what to configure, rather than run as
 * if it had none.
 */
async function typescriptOnly(app: string, dir: string): Promise<string[]> {
  const sources = listMigrationFiles(dir).filter(isTypeScriptMigration);
  if (sources.length === 0) return [];
  try {
    await import(pathToFileURL(sources[0]!).href);
    return sources;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw error;
  }
  throw new ChatError(
    'migration_error',
    `app '${app}': ${dir} holds ${sources.length} TypeScript migration${sources.length > 1 ? 's' : ''} and no compiled one, and this process cannot ` +
      `import TypeScript: compile them, and give the app both folders, e.g. { migrations: { path: 'dist/migrations', pathTs: 'migrations' } }`,
  );
}

/** The declaration of an imported module, read from its class's statics. */
function declarationOf(module: MigrationModule): MigrationDeclaration {
  const at = { file: module.file, line: 1 };
  const dependencies: DependencyRef[] = (module.migration.dependencies ?? []).map(dep =>
    Array.isArray(dep)
      ? { kind: 'migration', app: dep[0], name: dep[1], at, nameSpan: { start: 0, end: 0 } }
      : { kind: 'swappable', token: (dep as SwappableDependency).token, at },
  );
  return {
    app: module.migration.app!,
    name: module.name,
    file: module.file,
    className: module.migration.name,
    appAt: at,
    dependencies,
    sql: { createsTables: [], createsNames: [], needsTables: [], needsNames: [], dynamicAt: at },
    ...(module.migration.swaps ? { swaps: [...module.migration.swaps] } : {}),
  };
}

/** The graph of the imported modules, with every problem found. */
export function runtimeGraph(modules: readonly MigrationModule[], settings: ChatSettings, registry: AppRegistry, baseDir: string): LoadedGraph {
  const apps: AppFacts[] = [{ label: PACKAGE_APP, dir: PACKAGE_MIGRATIONS_DIR }, ...registry.apps.map(app => ({ label: app.label, dir: runtimeDir(app, baseDir) }))];
  const facts: ProjectFacts = {
    root: baseDir,
    configFile: '',
    apps,
    swaps: swapFacts(settings, registry),
    firstMigrationTables: [],
    secondMigrationNames: [],
  };
  const files: ReadMigration[] = modules.map(module => ({ folderApp: module.app, result: declarationOf(module) }));
  return buildGraph(facts, files);
}

/**
 * The error to raise when migrations with these problems are about to run. When compiled
 * migrations are out of step with their sources, that is named first: `chat-migrate check` reads
 * the sources and finds nothing, so the cure is a rebuild, not a fix.
 */
export function graphProblemsError(problems: readonly MigrationProblem[], baseDir: string, stale: readonly StaleApp[] = [], doing: 'run' | 'create' = 'run'): ChatError {
  const listed = problems.map(p => `  - ${p.format(baseDir)}`).join('\n');
  if (stale.length > 0) {
    const apps = stale.map(
      app =>
        `  app '${app.app}': the compiled migrations in ${app.compiledDir} do not match their sources in ${app.sourceDir}:\n` +
        app.migrations.map(m => `    - ${m.name} ${m.difference}`).join('\n'),
    );
    return new ChatError(
      'stale_compiled_migrations',
      `The migrations cannot run: the compiled migrations are stale (compiled before their sources last changed, e.g. before chat-migrate fix):\n${apps.join('\n')}\n` +
        `Rebuild (npm run build, or tsc) so they match, then start again; chat-migrate check reads the sources, which is why it finds no problem. What the stale modules cause:\n${listed}`,
      problems.map(p => p.code),
    );
  }
  return new ChatError(
    'migration_graph_error',
    `${doing === 'create' ? 'No migration was created: the migration graph has problems' : 'The migrations cannot run'}:\n${listed}\n` +
      `Run npx chat-migrate check for details${problems.some(p => p.code === 'circular_dependency') ? "; npx chat-migrate fix repoints the cycles the package's swappable models cause" : ''}.`,
    problems.map(p => p.code),
  );
}

/**
 * MikroORM's `migrationsList`: every migration named `app.name`, in dependency order when the
 * graph has no cycle (else as found: the migrator refuses to run them anyway).
 */
export function migrationsListOf(modules: readonly MigrationModule[], graph: MigrationGraph, ordered: boolean): { name: string; class: ChatMigrationClass }[] {
  const byKey = new Map(modules.map(m => [keyString(m), m]));
  const keys = ordered ? graph.topologicalOrder() : [...byKey.keys()];
  return keys.map(key => ({ name: key, class: byKey.get(key)!.migration }));
}
