/**
 * The process-wide swap registry: which class stands behind each token. Defaults register
 * themselves through `@Swappable`; the settings activate overrides before `MikroORM.init`, and
 * relations resolve `model(token)` during discovery.
 */
import type { ModelOf, SwapToken } from './tokens.js';

/** A concrete entity class. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type EntityClass<T = object> = new (...args: any[]) => T;

const defaults = new Map<SwapToken, EntityClass>();
let overrides = new Map<SwapToken, EntityClass>();

/** Records the package's default class for a token; a second, different default is a programming error. */
export function registerDefaultModel(token: SwapToken, cls: EntityClass): void {
  const existing = defaults.get(token);
  if (existing && existing !== cls) {
    throw new Error(
      `@Swappable('${token}') is already on ${existing.name}; ${cls.name} cannot carry it too. ` +
        `Only the package's default models carry @Swappable: register a custom class in the settings (models.${token}) instead.`,
    );
  }
  defaults.set(token, cls);
}

/** The package's default class for a token. */
export function defaultModel<K extends SwapToken>(token: K): EntityClass<ModelOf<K>> {
  const cls = defaults.get(token);
  if (!cls) {
    throw new Error(`No default model is registered for '${token}': import the package entry point before resolving models.`);
  }
  return cls as EntityClass<ModelOf<K>>;
}

/** The class that stands behind a token now: the active override, else the default. */
export function model<K extends SwapToken>(token: K): EntityClass<ModelOf<K>> {
  return (overrides.get(token) ?? defaultModel(token)) as EntityClass<ModelOf<K>>;
}

/** Whether the settings replaced the default class of a token. */
export function isSwapped(token: SwapToken): boolean {
  return overrides.has(token);
}

/** The token a class stands for now (default or override), if any. */
export function tokenOf(cls: Function): SwapToken | undefined {
  for (const [token, override] of overrides) if (override === cls) return token;
  for (const [token, def] of defaults) if (def === cls && !overrides.has(token)) return token;
  return undefined;
}

/** Every token with a registered default. */
export function registeredTokens(): SwapToken[] {
  return [...defaults.keys()];
}

/** Replaces the active overrides; called by the settings before the ORM discovers entities. */
export function activateModelOverrides(next: ReadonlyMap<SwapToken, EntityClass>): void {
  overrides = new Map(next);
}
