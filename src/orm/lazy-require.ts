/**
 * CommonJS dependencies loaded on first use instead of when the package is imported: a process that
 * only reads the settings (`chat-migrate`, the MikroORM CLI) never pays for the WebSocket server,
 * the router, Redis or the HTML sanitizer, and `require` skips the export scan Node runs when ESM
 * imports CommonJS.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** A function that loads `id` the first time it is called and returns the same module after. */
export function lazyRequire<T>(id: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(id) as T);
}
