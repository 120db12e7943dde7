/**
 * A whole chat server for tests: Koa with the REST API and the WebSocket server on one real HTTP
 * server, over a fresh database. Several can share one database (nodes of one chat).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { MikroORM } from '@mikro-orm/core';
import {
  RecordingNotificationProvider,
  attachChatWebSocket,
  chatApi,
  chatOrmConfig,
  tokenAuthentication,
  type AbstractUser,
  type ActionResult,
  type ChatOrmOptions,
  type ChatRouterOptions,
  type ChatSettings,
  type ChatWebSocket,
  type ChatWebSocketOptions,
} from '../../src/index.js';
import type { Api } from './api.js';
import { callApi, createUsers } from './api-client.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { TestSocket } from './ws-client.js';

/** The secret of test tokens: the same on every node, so a token works on all of them. */
export const TOKEN_SECRET = 'test-secret';

/** A running chat server: the REST API (`Api`) plus its WebSocket server. */
export interface ChatServer extends Api {
  readonly http: Server;
  readonly realtime: ChatWebSocket;
  /** `ws://…/messaging/`. */
  readonly wsUrl: string;
  token(user: AbstractUser): string;
  /** Opens a socket as `user` (token in the query string); `resume` asks for a held start. */
  connect(user: AbstractUser, options?: { resume?: boolean; presence?: boolean; first?: boolean }): Promise<TestSocket>;
  stop(): Promise<void>;
}

/** Starts a server over `orm` (whose schema exists). */
export async function startChatServer(
  orm: MikroORM,
  settings: ChatSettings,
  ws: Partial<Omit<ChatWebSocketOptions, 'orm' | 'settings' | 'authenticate'>> = {},
  rest: Partial<ChatRouterOptions> = {},
): Promise<ChatServer> {
  const tokens = tokenAuthentication(orm, TOKEN_SECRET);
  const notifier = new RecordingNotificationProvider();
  const published: ActionResult[] = [];
  const http = createServer();
  const realtime = await attachChatWebSocket(http, { orm, settings, authenticate: tokens.authenticate, notifier, ...ws });
  const app = new Koa();
  app.use(
    chatApi({
      orm,
      settings,
      authenticate: tokens.authenticate,
      notifier,
      prefix: '/api',
      publish: outcome => {
        published.push(outcome);
        realtime.publish(outcome);
      },
      ...rest,
    }),
  );
  http.on('request', app.callback());
  await new Promise<void>(resolve => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}/api`;
  const wsUrl = `ws://127.0.0.1:${port}/${settings.websocketPath.replace(/^\/+/, '')}`;
  const sockets: TestSocket[] = [];
  return {
    url,
    wsUrl,
    http,
    orm,
    settings,
    notifier,
    published,
    realtime,
    token: user => tokens.issue(user.id),
    async connect(user, options = {}) {
      const socket = await TestSocket.open(`${wsUrl}?token=${encodeURIComponent(tokens.issue(user.id))}${options.resume ? '&resume=1' : ''}${options.presence ? '&presence=1' : ''}`);
      sockets.push(socket);
      // chat.notifications always comes first; read it unless the test wants to see it.
      if (options.first !== false && settings.enableNotification) await socket.event('chat.notifications');
      return socket;
    },
    users: (...prefixes) => createUsers(orm, prefixes),
    call: (user, method, path, body, options) => callApi(url, tokens.issue, user, method, path, body, options),
    async stop() {
      await Promise.all(sockets.map(socket => socket.close().catch(() => {})));
      await realtime.close();
      http.closeAllConnections();
      await new Promise<void>(resolve => http.close(() => resolve()));
    },
  };
}

/** A database with the chat schema, and its ORM (`options`: more options of `chatOrmConfig`). */
export async function chatDatabase(settings: ChatSettings, entities: Function[] = [], options: Partial<ChatOrmOptions> = {}): Promise<{ orm: MikroORM; database: TestDatabase }> {
  const database = await createTestDatabase();
  const orm = await MikroORM.init(await chatOrmConfig(settings, { ...options, database: database.target, entities }));
  await orm.schema.createSchema();
  return { orm, database };
}
