/**
 * A first run has no code cache for the TypeScript compiler, and the module hooks compile the
 * 9 MB compiler (about 0.2 s) only once the main thread has loaded the package and MikroORM (they
 * must not exist before, see `config-loader.ts`). This worker compiles it meanwhile, on another
 * core, transpiles a decorated class so the transpiler's functions are compiled too, and leaves the
 * code cache the hooks then load from (about 0.1 s with it). This module is also the worker's entry.
 */
import { existsSync } from 'node:fs';
import { isMainThread, Worker, workerData } from 'node:worker_threads';
import { cacheDirIfPossible } from './cache-dir.js';
import { codeCacheOf, loadTypeScript } from './load-typescript.js';

const SAMPLE = `import { Entity, Property } from '@mikro-orm/core';
@Entity()
export class Sample { @Property() name!: string; }
export default { entities: [Sample] };
`;

/** A config the module hooks transpile with the compiler. */
export const TYPESCRIPT_CONFIG = /\.[cm]?ts$/;

const started = new Map<string, { readonly done: Promise<void>; readonly worker?: Worker }>();

/**
 * Starts compiling the compiler for the config's project when its cache folder has no code cache
 * yet (call it as early as the config is known to be needed); nothing is lost if it fails.
 */
export function warmUpTypeScript(configFile: string): void {
  if (started.has(configFile)) return;
  try {
    // A JavaScript config needs no compiler.
    const cacheDir = TYPESCRIPT_CONFIG.test(configFile) ? cacheDirIfPossible(configFile) : undefined;
    if (cacheDir && !existsSync(codeCacheOf(cacheDir).cacheFile)) {
      const worker = new Worker(new URL(import.meta.url), { workerData: { warmTypeScriptIn: cacheDir } });
      // A command that ends before it needs the compiler (a config that cannot be loaded) does not wait for it.
      worker.unref();
      worker.once('error', () => undefined);
      started.set(configFile, { done: new Promise(resolve => worker.once('exit', () => resolve())), worker });
      return;
    }
  } catch {
    // no warm-up: the hooks compile the compiler themselves
  }
  started.set(configFile, { done: Promise.resolve() });
}

/** Resolves once the warm-up of the config's project is over (starting it if nobody did). */
export function typeScriptWarmedUp(configFile: string): Promise<void> {
  warmUpTypeScript(configFile);
  const { done, worker } = started.get(configFile)!;
  // Awaited, it must keep the process alive (an unreferenced worker alone would let it exit).
  worker?.ref();
  return done;
}

const job = workerData as { warmTypeScriptIn?: string } | undefined;
if (!isMainThread && job?.warmTypeScriptIn) {
  const loaded = await loadTypeScript(job.warmTypeScriptIn);
  loaded.ts.transpileModule(SAMPLE, { compilerOptions: { experimentalDecorators: true, emitDecoratorMetadata: true, module: loaded.ts.ModuleKind.ESNext, target: loaded.ts.ScriptTarget.ES2022 } });
  loaded.saveCodeCache();
}
