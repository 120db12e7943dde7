/**
 * Loads the TypeScript compiler for parsing migration files, with V8's code cache kept in the
 * tool's cache folder: compiling the 9 MB compiler is most of a cold run's time, and the cache
 * makes later cold runs start in a fraction of it. Any trouble with the cache falls back to a
 * plain import.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';

type TypeScript = typeof import('typescript');

/** The compiler, and a way to store its code cache once it has done some work (so the cache holds the parser). */
export interface LoadedTypeScript {
  readonly ts: TypeScript;
  saveCodeCache(): void;
}

const require = createRequire(import.meta.url);

/** The compiler's file, and where its code cache lives under `cacheDir` (one per TypeScript and Node version). */
export function codeCacheOf(cacheDir: string): { file: string; cacheFile: string } {
  const file = require.resolve('typescript');
  const version = (JSON.parse(readFileSync(join(dirname(file), '..', 'package.json'), 'utf8')) as { version: string }).version;
  return { file, cacheFile: join(cacheDir, `typescript-${version}-${process.version}.codecache`) };
}

/** Loads TypeScript, using (and later refreshing) a code cache under `cacheDir` when one is given. */
export async function loadTypeScript(cacheDir: string | undefined): Promise<LoadedTypeScript> {
  const plain = async (): Promise<LoadedTypeScript> => ({ ts: (await import('typescript')).default, saveCodeCache: () => {} });
  if (!cacheDir) return plain();
  try {
    const { file, cacheFile } = codeCacheOf(cacheDir);
    const cachedData = existsSync(cacheFile) ? readFileSync(cacheFile) : undefined;
    const source = readFileSync(file, 'utf8');
    const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: file, cachedData });
    const module = { exports: {} as TypeScript };
    (script.runInThisContext() as (...args: unknown[]) => void).call(module.exports, module.exports, require, module, file, dirname(file));
    const fresh = !cachedData || script.cachedDataRejected === true;
    return {
      ts: module.exports,
      saveCodeCache() {
        if (!fresh) return;
        try {
          writeFileSync(cacheFile, script.createCachedData());
        } catch {
          // no cache: only slower next time
        }
      },
    };
  } catch {
    return plain();
  }
}
