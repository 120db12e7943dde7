/**
 * Loads a project's MikroORM config as the MikroORM CLI would (TypeScript transpiled by the
 * package's own compiler, ahead on a worker and through `typescript-hooks.ts`), without importing
 * its migrations, and derives the facts the migration tool needs. This is the slow path: its
 * result is cached until one of the files the config loaded changes.
 */
import { register } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { inspect } from 'node:util';
import { MessageChannel } from 'node:worker_threads';
import { MikroORM, type Options } from '@mikro-orm/core';
import { chatProjectOf } from './chat-project.js';
import { toolState } from './tool-state.js';
import { transpiledAhead, warmUpTypeScript } from './typescript-warmup.js';
import { TS_FILE, tsconfigOf, type PreparedFile } from './transpile.js';
import { cacheDirIfPossible } from './cache-dir.js';
import { CliError } from './cli-error.js';
import { ownedSchema, packageSchemaFacts } from './package-schema.js';
import type { ProjectFacts } from './project.js';
import { PACKAGE_MIGRATIONS_DIR } from './paths.js';
import { sourceDir, swapFacts } from './runtime-project.js';
import { PACKAGE_APP } from './types.js';

/** What a loaded config yields. */
export interface LoadedConfig {
  readonly facts: ProjectFacts;
  /** The local files the config imported (the facts go stale when one changes). */
  readonly inputs: string[];
  readonly options: Options;
}

let tracker: { seen: Set<string>; port: MessageChannel['port1'] } | undefined;

function registerLoaders(configFile: string, prepared: readonly PreparedFile[]): void {
  if (tracker) return;
  const { port1, port2 } = new MessageChannel();
  const seen = new Set<string>();
  port1.on('message', message => {
    if (typeof message === 'string' && message.startsWith('file:')) seen.add(fileURLToPath(message));
  });
  // The reports must never keep the process alive.
  port1.unref();
  if (TS_FILE.test(configFile)) {
    // The package's own TypeScript transpiles the project's files: whatever TypeScript the project has (7 has no JavaScript API).
    toolState().typescriptHooks = true;
    register(new URL('./typescript-hooks.js', import.meta.url), { data: { tsconfig: tsconfigOf(configFile), cacheDir: cacheDirIfPossible(configFile), prepared } });
  }
  register(new URL('./module-tracker.js', import.meta.url), { data: { port: port2 }, transferList: [port2] });
  tracker = { seen, port: port1 };
}

async function flushTracker(): Promise<string[]> {
  const { port, seen } = tracker!;
  await new Promise<void>(resolve => {
    const onMessage = (message: unknown) => {
      if (message !== 'flushed') return;
      port.off('message', onMessage);
      resolve();
    };
    port.on('message', onMessage);
    port.ref();
    port.postMessage('flush');
  });
  port.unref();
  return [...seen].sort();
}

/**
 * What went wrong, as text: an error's message, or what the value says of itself (TypeScript's
 * diagnostics reach us from the loader thread as an object without a message).
 */
function describeError(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  if (typeof error === 'string') return error;
  return inspect(error).trim();
}

/**
 * Imports the config and returns its options. `readOnly` keeps the package's helper from
 * importing migration modules; `fresh` evaluates the config module again (a second import
 * in one process would otherwise return the first result).
 */
export async function importConfig(configFile: string, { readOnly, fresh = false }: { readOnly: boolean; fresh?: boolean }): Promise<Options> {
  // Started here at the latest (a command that reads the facts first starts it sooner).
  warmUpTypeScript(configFile);
  // The package's entry (what every config imports) is loaded before the hooks exist: once they do,
  // each of its modules and their CommonJS dependencies would go through the hooks thread, a few
  // hundred round trips that cost a first run about a quarter of a second.
  await import('../index.js');
  // A TypeScript config and its local imports were transpiled meanwhile on another core; the hooks serve them.
  const prepared = TS_FILE.test(configFile) && !tracker ? await transpiledAhead(configFile) : [];
  registerLoaders(configFile, prepared);
  if (readOnly) toolState().readOnly = true;
  try {
    const url = `${pathToFileURL(configFile).href}${fresh ? `?chat-migrate=${Date.now()}` : ''}`;
    const module = (await import(url)) as { default?: unknown };
    let exported: unknown = module.default ?? module;
    if (typeof exported === 'function') exported = await (exported as () => unknown)();
    return (await exported) as Options;
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw CliError.config(`Cannot load ${configFile}: ${describeError(error)}`);
  } finally {
    if (readOnly) toolState().readOnly = false;
  }
}

/** Imports the config without its migrations, reads the project it describes, and computes the base migrations' facts. */
export async function loadConfig(configFile: string): Promise<LoadedConfig> {
  const options = await importConfig(configFile, { readOnly: true });
  const project = chatProjectOf(options);
  if (!project) {
    throw CliError.config(`${configFile} does not export options built by chatOrmConfig(): export default chatOrmConfig(settings, { apps: { ... } })`);
  }
  const orm = await MikroORM.init({ ...options, connect: false, allowGlobalContext: true, debug: false } as Options);
  let schemaFacts;
  try {
    schemaFacts = packageSchemaFacts(ownedSchema(orm.em.fork(), project.apps));
  } finally {
    await orm.close(true);
  }
  const facts: ProjectFacts = {
    root: dirname(configFile),
    configFile,
    apps: [
      { label: PACKAGE_APP, dir: PACKAGE_MIGRATIONS_DIR },
      ...project.apps.apps.map(app => ({
        label: app.label,
        dir: sourceDir(app, project.baseDir),
        ...(app.pathTs ? { compiledDir: resolve(project.baseDir, app.path) } : {}),
      })),
    ],
    swaps: swapFacts(project.settings, project.apps),
    ...schemaFacts,
  };
  const inputs = [...new Set([configFile, ...(await flushTracker())])].sort();
  return { facts, inputs, options };
}
