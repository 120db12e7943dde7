/**
 * What `chat-migrate` tells the package while it loads a project's config in its own process: the
 * config is being read only (migration modules are not imported), and the package's TypeScript
 * hooks are registered. Held on a process-wide symbol rather than in module state, because the
 * config may load another copy of the package than the tool's (a linked checkout), and rather than
 * in environment variables, which child processes would inherit and caches would have to ignore.
 */

interface ToolState {
  /** While set, `chatOrmConfig` reads the project without importing its migration modules. */
  readOnly: boolean;
  /** The package's TypeScript hooks are registered: this process imports TypeScript. */
  typescriptHooks: boolean;
}

const KEY = Symbol.for('realtime-chat-messaging.chat-migrate');

/** This process's state (the same object for every copy of the package loaded in it). */
export function toolState(): ToolState {
  const holder = globalThis as typeof globalThis & { [KEY]?: ToolState };
  return (holder[KEY] ??= { readOnly: false, typescriptHooks: false });
}
