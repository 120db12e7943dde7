/** The `@Swappable(token)` class decorator carried by the package's default models. */
import { registerDefaultModel, type EntityClass } from './registry.js';
import type { SwapToken } from './tokens.js';

/** Marks a class as the package's default model for `token`, so the settings may replace it. */
export function Swappable(token: SwapToken) {
  return function (target: EntityClass): void {
    registerDefaultModel(token, target);
  };
}
