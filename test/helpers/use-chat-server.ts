/** `useChatServer`: one chat server for a test file, started before its tests and stopped after. */
import test from 'ava';
import type { ChatOrmOptions, ChatRouterOptions, ChatSettings, ChatWebSocketOptions } from '../../src/index.js';
import { chatDatabase, startChatServer, type ChatServer } from './chat-server.js';
import type { TestDatabase } from './database.js';

/** Registers hooks that start one chat server before this file's tests and stop it after. */
export function useChatServer(
  settings: ChatSettings,
  ws: Partial<Omit<ChatWebSocketOptions, 'orm' | 'settings' | 'authenticate'>> = {},
  entities: Function[] = [],
  rest: Partial<ChatRouterOptions> = {},
  orm: Partial<ChatOrmOptions> = {},
): ChatServer {
  let server: ChatServer | undefined;
  let database: TestDatabase | undefined;
  test.before(async () => {
    const made = await chatDatabase(settings, entities, orm);
    database = made.database;
    server = await startChatServer(made.orm, settings, ws, rest);
  });
  test.after.always(async () => {
    await server?.stop();
    await server?.orm.close(true);
    await database?.drop();
  });
  return new Proxy({} as ChatServer, {
    get(_target, key) {
      if (!server) throw new Error('the chat server is not started yet');
      const value = (server as unknown as Record<PropertyKey, unknown>)[key];
      return typeof value === 'function' ? (value as Function).bind(server) : value;
    },
  });
}
