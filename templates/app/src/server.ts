/**
 * `npm start`: serves the chat on PORT (default 3000) and HOST (default 127.0.0.1). The database is
 * migrated beforehand with `npm run migrate` (`npm run dev` does both).
 */
import type { MikroORM } from '@mikro-orm/core';
import { createChatServer } from './app.js';
import { openMigratedDatabase } from './database.js';

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';
let orm: MikroORM;
try {
  orm = await openMigratedDatabase();
} catch (error) {
  // The package's errors say what to do (a busy embedded database, a migration problem): no stack needed.
  console.error(`The chat could not start: ${(error as Error).message}`);
  process.exit(1);
}
const chat = await createChatServer(orm);
chat.server.listen(port, host, () => {
  console.log(`chat on http://${host}:${port}: REST under /api/chat, WebSocket at ws://${host}:${port}/messaging/, GET /health`);
  console.log('a user and a token: npm run create-user -- <username>');
});

const shutdown = async () => {
  await chat.close();
  await orm.close(true);
  process.exit(0);
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
