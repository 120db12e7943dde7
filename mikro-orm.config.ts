/**
 * MikroORM configuration of the demo application, for `chat-migrate` and the MikroORM CLI
 * (`npx mikro-orm-esm schema:update --dump`, migrations). Applications write the same few lines
 * with their own settings. The embedded database lives under CHAT_DATA_DIR (default .data/demo).
 */
import { chatOrmConfig, databaseFromEnv, defineChatSettings } from './src/index.js';

export default chatOrmConfig(defineChatSettings(), { database: databaseFromEnv(process.env.CHAT_DATA_DIR ?? '.data/demo') });
