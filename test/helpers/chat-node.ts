/**
 * One chat server process on the Redis channel layer, for the multi-process tests. Started by
 * `cluster.ts` with the database and Redis in its environment; prints `LISTENING <port>`.
 */
import { MikroORM } from '@mikro-orm/core';
import { RedisChannelLayer, chatOrmConfig, defineChatSettings } from '../../src/index.js';
import { startChatServer } from './chat-server.js';

const settings = defineChatSettings();
const orm = await MikroORM.init(await chatOrmConfig(settings, { database: { url: process.env.CHAT_NODE_DATABASE! } }));
const server = await startChatServer(orm, settings, {
  layer: new RedisChannelLayer({ url: process.env.CHAT_NODE_REDIS! }),
  // Empty: the hub's default (derived from the ping interval).
  ...(process.env.CHAT_NODE_PRESENCE_MS !== '' ? { presenceIntervalMs: Number(process.env.CHAT_NODE_PRESENCE_MS ?? 500) } : {}),
  ...(process.env.CHAT_NODE_PING_MS ? { pingIntervalMs: Number(process.env.CHAT_NODE_PING_MS) } : {}),
  resyncIntervalMs: 0,
});
process.stdout.write(`LISTENING ${new URL(server.url).port}\n`);
process.on('SIGTERM', async () => {
  await server.stop();
  await orm.close(true);
  process.exit(0);
});
