/**
 * The package's second entry, `realtime-chat-messaging/migrator`: the MikroORM migrator and
 * migration generator that `chatOrmConfig` configures, for a config written without it. They live
 * apart from the main entry because they load MikroORM's migrations package, which a process that
 * only serves chat (or only reads its settings) never needs.
 */
export { ChatMigrator, ChatMigrationGenerator } from './migrations/chat-migrator.js';
