/** `swappable('Message')`: a migration dependency on whatever app owns the model the settings name for a token. */
import type { SwapToken } from '../swappable/tokens.js';

/** A dependency on a swappable model, resolved late: to the first migration of the app that owns the configured class. */
export interface SwappableDependency {
  readonly kind: 'swappable';
  readonly token: SwapToken;
}

/** A migration dependency as written in a migration's static `dependencies`. */
export type MigrationDependency = readonly [app: string, name: string] | SwappableDependency;

/** Depends on the first migration of the app owning the class configured for `token` (Django's `swappable_dependency`). */
export function swappable(token: SwapToken): SwappableDependency {
  return { kind: 'swappable', token };
}
