/**
 * MikroORM configuration of the demo application, for the MikroORM CLI
 * (`npx mikro-orm-esm schema:update --dump`, migrations). Applications write the same few lines
 * with their own settings.
 */
import { chatOrmConfig, databaseFromEnv, defineChatSettings } from './src/index.js';

export default chatOrmConfig(defineChatSettings(), { database: databaseFromEnv('.data/demo') });
