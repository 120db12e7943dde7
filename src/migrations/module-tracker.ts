/**
 * Module resolution hooks (registered with `node:module`'s `register`) that report every local
 * module a config imports, so the migration tool knows which files its cached facts depend on.
 */
import type { MessagePort } from 'node:worker_threads';

let port: MessagePort | undefined;

/** Receives the port to report on; answers `flush` once every earlier report is sent. */
export function initialize(data: { port: MessagePort }): void {
  port = data.port;
  port.on('message', message => {
    if (message === 'flush') port!.postMessage('flushed');
  });
  port.unref();
}

type NextResolve = (specifier: string, context: unknown) => Promise<{ url: string }>;

/** Reports each resolved local file (outside node_modules). */
export async function resolve(specifier: string, context: unknown, nextResolve: NextResolve): Promise<{ url: string }> {
  const result = await nextResolve(specifier, context);
  if (port && result.url.startsWith('file:') && !result.url.includes('/node_modules/')) port.postMessage(result.url);
  return result;
}
