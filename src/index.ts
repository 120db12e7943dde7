/** realtime-chat-messaging: production-grade realtime chat for Koa on MikroORM and PostgreSQL. One entry point. */
import 'reflect-metadata';

export * from './errors/index.js';
export * from './swappable/index.js';
export * from './entities/index.js';
export * from './serializers/index.js';
export { defineChatSettings, isChatSettings } from './settings/define.js';
export { activateChatSettings } from './settings/activate.js';
export { DEFAULT_SCALAR_SETTINGS, SETTING_KEYS } from './settings/defaults.js';
export type { ChatSettings, ChatSettingsInput, AnyClass } from './settings/types.js';
export { SIGNALS, connectSignal, disconnectSignal, chatSubscribers, ChatSignal } from './signals/index.js';
export type { SignalName } from './signals/index.js';
export { assignPermission, removePermission, hasPermission, permissionsOf } from './permissions/object-permissions.js';
export { objectKeyOf } from './permissions/object-key.js';
export type { ObjectKey } from './permissions/object-key.js';
export { sanitizeContent, ALLOWED_TAGS } from './content/sanitize.js';
export { chatOrmConfig } from './orm/config.js';
export type { ChatOrmOptions } from './orm/config.js';
export { chatEntities } from './orm/entity-list.js';
export { databaseOptions, databaseFromEnv, isEmbedded } from './orm/database.js';
export { healthRouter } from './http/health.js';
export type { HealthReport } from './http/health.js';
export type { DatabaseTarget } from './orm/database.js';
