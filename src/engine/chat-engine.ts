/** `createChatEngine`: the engine the settings configure (`eventHandlerClass`, `permissionHandlerClass`). */
import { PermissionHandler } from '../permissions/permission-handler.js';
import { configuredClass } from '../settings/configured-class.js';
import type { EngineOptions } from './context.js';
import { EventHandler } from './event-handler.js';

/** Builds the configured engine (a subclass of `EventHandler`) with the configured permission rules. */
export function createChatEngine(options: EngineOptions): EventHandler {
  const Handler = configuredClass(options.settings.eventHandlerClass, EventHandler, 'eventHandlerClass');
  const Permissions = configuredClass(options.settings.permissionHandlerClass, PermissionHandler, 'permissionHandlerClass');
  return new Handler({ ...options, permissions: options.permissions ?? new Permissions() });
}
