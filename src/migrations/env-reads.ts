/** Records which environment variables a piece of code reads, so a cache of its result can be keyed on their values. */

/** The variables read, each with its value then (null: unset). */
export type EnvReads = Record<string, string | null>;

/** Runs `body` with `process.env` watched; returns its result and the variables it read. */
export async function trackEnvReads<T>(body: () => Promise<T>): Promise<{ result: T; reads: EnvReads }> {
  const original = process.env;
  const reads: EnvReads = {};
  const note = (key: string | symbol) => {
    if (typeof key === 'string' && !(key in reads)) reads[key] = original[key] ?? null;
  };
  process.env = new Proxy(original, {
    get(target, key) {
      note(key);
      return Reflect.get(target, key);
    },
    has(target, key) {
      note(key);
      return Reflect.has(target, key);
    },
    // Written on the real object: process.env refuses the partial descriptor a proxied write would define.
    set(target, key, value) {
      return Reflect.set(target, key, value);
    },
  });
  try {
    return { result: await body(), reads };
  } finally {
    process.env = original;
  }
}

/** Whether every variable read still has the value it had. */
export function sameEnv(reads: EnvReads): boolean {
  return Object.entries(reads).every(([key, value]) => (process.env[key] ?? null) === value);
}
