/**
 * A TypeScript config is transpiled ahead, on another core: the module hooks must not exist
 * before the main thread has loaded the package and MikroORM (see `config-loader.ts`), and
 * loading the 9 MB compiler there and then (0.1 s with a code cache, 0.2 s more without) would
 * make the main thread wait for it. This worker loads the compiler meanwhile, transpiles the
 * config and every local TypeScript file it imports, hands the JavaScript to the hooks, and
 * leaves the compiler's code cache for later runs. This module is also the worker's entry.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { cacheDirIfPossible } from './cache-dir.js';
import { loadTypeScript } from './load-typescript.js';
import { compilerOptionsOf, transpileLocalGraph, TS_FILE, tsconfigOf, type PreparedFile } from './transpile.js';

/** What the worker is asked to do. */
interface Job {
  readonly configFile: string;
  readonly tsconfig: string | undefined;
  readonly cacheDir: string | undefined;
}

const started = new Map<string, { readonly done: Promise<readonly PreparedFile[]>; readonly worker?: Worker }>();

/**
 * Starts transpiling a TypeScript config and its local imports on another core (call it as early
 * as the config is known to be needed); nothing is lost if it fails: the hooks then transpile.
 */
export function warmUpTypeScript(configFile: string): void {
  if (started.has(configFile)) return;
  if (TS_FILE.test(configFile)) {
    try {
      const job: Job = { configFile, tsconfig: tsconfigOf(configFile), cacheDir: cacheDirIfPossible(configFile) };
      const worker = new Worker(new URL(import.meta.url), { workerData: { transpileAhead: job } });
      // A command that ends before it needs the config (one that cannot be loaded) does not wait for it.
      worker.unref();
      const done = new Promise<readonly PreparedFile[]>(resolve => {
        let files: readonly PreparedFile[] = [];
        worker.once('message', (message: readonly PreparedFile[]) => (files = message));
        worker.once('error', () => undefined);
        worker.once('exit', () => resolve(files));
      });
      started.set(configFile, { done, worker });
      return;
    } catch {
      // no worker: the hooks transpile
    }
  }
  // A JavaScript config needs no compiler.
  started.set(configFile, { done: Promise.resolve([]) });
}

/** The files transpiled ahead for the config, once the worker is done (starting it if nobody did). */
export function transpiledAhead(configFile: string): Promise<readonly PreparedFile[]> {
  warmUpTypeScript(configFile);
  const { done, worker } = started.get(configFile)!;
  // Awaited, it must keep the process alive (an unreferenced worker alone would let it exit).
  worker?.ref();
  return done;
}

const job = (workerData as { transpileAhead?: Job } | undefined)?.transpileAhead;
if (!isMainThread && job) {
  const loaded = await loadTypeScript(job.cacheDir);
  const files = transpileLocalGraph(loaded.ts, job.configFile, compilerOptionsOf(loaded.ts, job.tsconfig));
  parentPort!.postMessage(files);
  // After the work, so that the cache holds the transpiler's functions too.
  loaded.saveCodeCache();
}
