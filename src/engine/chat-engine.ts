/** `createChatEngine`: the engine the settings configure (`eventHandlerClass`, `permissionHandlerClass`). */
import { ChatConfigurationError } from '../errors/configuration-error.js';
import { PermissionHandler } from '../permissions/permission-handler.js';
import type { EngineOptions } from './action-base.js';
import { EventHandler } from './event-handler.js';

function subclassOf<T extends Function>(configured: Function | null, base: T, path: string): T {
  if (!configured) return base;
  if (configured !== base && !(configured.prototype instanceof base)) {
    throw new ChatConfigurationError([{ path, message: `${configured.name} must extend ${base.name} (import it from 'realtime-chat-messaging')` }]);
  }
  return configured as T;
}

/** Builds the configured engine (a subclass of `EventHandler`) with the configured permission rules. */
export function createChatEngine(options: EngineOptions): EventHandler {
  const Handler = subclassOf(options.settings.eventHandlerClass, EventHandler, 'eventHandlerClass');
  const Permissions = subclassOf(options.settings.permissionHandlerClass, PermissionHandler, 'permissionHandlerClass');
  return new Handler({ ...options, permissions: options.permissions ?? new Permissions() });
}
