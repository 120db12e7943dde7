/** A real HTTP server with the chat API over a fresh database, and a client that speaks as a given user. */
import test from 'ava';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { MikroORM } from '@mikro-orm/core';
import {
  RecordingNotificationProvider,
  chatApi,
  chatOrmConfig,
  tokenAuthentication,
  type AbstractUser,
  type ActionResult,
  type ChatOrmOptions,
  type ChatRouterOptions,
  type ChatSettings,
} from '../../src/index.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { callApi, createUsers } from './api-client.js';

/** A response: status and parsed JSON body. */
export interface ApiResponse {
  readonly status: number;
  readonly body: any;
}

/** A running API. */
export interface Api {
  readonly url: string;
  readonly orm: MikroORM;
  readonly settings: ChatSettings;
  readonly notifier: RecordingNotificationProvider;
  /** Every action outcome the API published (what the realtime layer would deliver). */
  readonly published: ActionResult[];
  /** Creates users of the configured User model. */
  users(...prefixes: string[]): Promise<AbstractUser[]>;
  /** Calls the API as `user` (null: no credentials). `raw` sends a body as is. */
  call(user: AbstractUser | null, method: string, path: string, body?: unknown, options?: { raw?: string; headers?: Record<string, string> }): Promise<ApiResponse>;
}

/** Registers hooks that start the API before this file's tests and stop it after (`router`: more options of `chatApi`). */
export function useApi(settings: ChatSettings, entities: Function[] = [], router: Partial<ChatRouterOptions> = {}, ormOptions: Partial<ChatOrmOptions> = {}): Api {
  let database: TestDatabase;
  let orm: MikroORM;
  let server: Server;
  let url = '';
  let issue: (id: string) => string = () => '';
  const notifier = new RecordingNotificationProvider();
  const published: ActionResult[] = [];
  test.before(async () => {
    database = await createTestDatabase();
    orm = await MikroORM.init(await chatOrmConfig(settings, { ...ormOptions, database: database.target, entities }));
    await orm.schema.createSchema();
    const tokens = tokenAuthentication(orm);
    issue = tokens.issue;
    const app = new Koa();
    app.use(chatApi({ orm, settings, authenticate: tokens.authenticate, notifier, prefix: '/api', publish: outcome => void published.push(outcome), ...router }));
    server = createServer(app.callback());
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
  });
  test.after.always(async () => {
    await new Promise<void>(resolve => (server ? server.close(() => resolve()) : resolve()));
    await orm?.close(true);
    await database?.drop();
  });
  return {
    get url() {
      return url;
    },
    get orm() {
      return orm;
    },
    settings,
    notifier,
    published,
    users: (...prefixes) => createUsers(orm, prefixes),
    call: (user, method, path, body, options) => callApi(url, issue, user, method, path, body, options),
  };
}
