/**
 * Where the migration tool keeps what it learnt between runs: the folder `CHAT_MIGRATE_CACHE_DIR`
 * names (resolved against the config's folder), else `node_modules/.cache/chat-migrate/<project>`.
 * Paths inside the project are kept relative to the config's folder and every entry is checked
 * against the content it was read from, so a CI cache or another checkout's copy answers as well
 * as the local one.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { CliError } from './cli-error.js';

/** The variable that names the cache folder (one folder per config). */
export const CACHE_DIR_VARIABLE = 'CHAT_MIGRATE_CACHE_DIR';

const hash = (text: string) => createHash('sha1').update(text).digest('hex').slice(0, 16);

/** The cache folder of the project whose config is `configFile` (created if missing). */
export function cacheDirFor(configFile: string): string {
  const named = process.env[CACHE_DIR_VARIABLE];
  const out = named ? resolve(dirname(configFile), named) : defaultCacheDir(configFile);
  try {
    mkdirSync(out, { recursive: true });
  } catch (error) {
    if (!named) throw error;
    throw CliError.config(`${CACHE_DIR_VARIABLE}=${named}: ${out} cannot be the cache folder (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); name a folder, or unset it`);
  }
  return out;
}

/** The cache folder, or `undefined` where none can be made (a read-only project): what only saves time may do without. */
export function cacheDirIfPossible(configFile: string): string | undefined {
  try {
    return cacheDirFor(configFile);
  } catch {
    return undefined;
  }
}

/** Under the nearest `node_modules`, named by the config's path from there: the same in every checkout. */
function defaultCacheDir(configFile: string): string {
  for (let dir = dirname(configFile); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'node_modules'))) return join(dir, 'node_modules', '.cache', 'chat-migrate', hash(relative(dir, configFile)));
    if (dirname(dir) === dir) return join(tmpdir(), 'chat-migrate-cache', hash(configFile));
  }
}
