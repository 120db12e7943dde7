/**
 * The MikroORM options of this app, read by `chat-migrate`, by `npx mikro-orm-esm` and by the
 * server (compiled). The chat settings come from src/settings.ts: the one object every part uses.
 */
import { chatOrmConfig, databaseFromEnv } from 'realtime-chat-messaging';
import { settings } from './src/settings.js';
// Swapping the Message model, step 2 of 4 (see src/models/custom-message.ts):
// import { CustomMessage } from './src/models/custom-message.js';

export default chatOrmConfig(settings, {
  // PostgreSQL at DATABASE_URL; without it, the embedded database (PGlite) under .data/chat.
  database: databaseFromEnv(process.env.CHAT_DATA_DIR ?? '.data/chat'),
  apps: {
    // This app's migrations: the TypeScript sources (which chat-migrate reads) and the compiled
    // modules the server runs.
    app: {
      migrations: { path: 'dist/migrations', pathTs: 'migrations' },
      entities: [/* CustomMessage */],
    },
  },
});
