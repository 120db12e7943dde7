/**
 * The HTTP server of the chat: a Koa app with /health and the REST API under /api/chat, and the
 * WebSocket server at /messaging/ on the same port. Add your own routes to `app`.
 */
import { createServer, type Server } from 'node:http';
import Koa from 'koa';
import type { MikroORM } from '@mikro-orm/core';
import { attachChatWebSocket, chatApi, healthRouter, tokenAuthentication, type ChatWebSocket } from 'realtime-chat-messaging';
import { settings } from './settings.js';
import { tokenSecret } from './token-secret.js';

/** The server, not yet listening, and how to stop it. */
export interface ChatServer {
  readonly server: Server;
  readonly realtime: ChatWebSocket;
  close(): Promise<void>;
}

/** Builds the server on an initialised ORM. */
export async function createChatServer(orm: MikroORM): Promise<ChatServer> {
  // Tokens as create-user prints them; replace with your own (request) => user | null.
  const auth = tokenAuthentication(orm, tokenSecret());
  const server = createServer();
  const realtime = await attachChatWebSocket(server, { orm, settings, authenticate: auth.authenticate });

  const app = new Koa();
  const health = healthRouter(orm);
  app.use(health.routes()).use(health.allowedMethods());
  // What REST writes reaches the sockets too (publish).
  app.use(chatApi({ orm, settings, authenticate: auth.authenticate, prefix: '/api/chat', publish: realtime.publish }));
  server.on('request', app.callback());

  return {
    server,
    realtime,
    async close() {
      await realtime.close();
      server.closeAllConnections();
      await new Promise<void>(resolve => server.close(() => resolve()));
    },
  };
}
