/** The class a handler setting names, checked to extend the package's base class. */
import { ChatConfigurationError } from '../errors/configuration-error.js';

/** `configured` (a subclass of `base`), or `base` when the setting is null. */
export function configuredClass<T extends Function>(configured: Function | null, base: T, path: string): T {
  if (!configured) return base;
  if (configured !== base && !(configured.prototype instanceof base)) {
    throw new ChatConfigurationError([{ path, message: `${configured.name} must extend ${base.name} (import it from 'realtime-chat-messaging')` }]);
  }
  return configured as T;
}
