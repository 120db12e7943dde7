/**
 * Several nodes of one chat on one database and one Redis: separate processes on PostgreSQL, or
 * (the embedded database lives in one process) separate servers in this process on PGlite.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { MikroORM } from '@mikro-orm/core';
import { RedisChannelLayer, tokenAuthentication, type AbstractUser, type ChatSettings } from '../../src/index.js';
import { startChatServer, TOKEN_SECRET, type ChatServer } from './chat-server.js';
import type { TestDatabase } from './database.js';
import { TestSocket } from './ws-client.js';

/** A node as the tests use it. */
export interface ChatNode {
  readonly url: string;
  readonly wsUrl: string;
  /** Opens a socket on this node. */
  connect(user: AbstractUser, options?: { presence?: boolean; resume?: boolean }): Promise<TestSocket>;
  stop(): Promise<void>;
}

/** Starts `count` nodes on the database and the Redis at `redisUrl`. */
export async function startNodes(count: number, database: TestDatabase, orm: MikroORM, settings: ChatSettings, redisUrl: string): Promise<ChatNode[]> {
  const tokens = tokenAuthentication(orm, TOKEN_SECRET);
  const nodes: ChatNode[] = [];
  for (let i = 0; i < count; i++) {
    const { port, stop } =
      database.kind === 'postgresql' ? await childNode(database.target.url!, redisUrl) : await localNode(orm, settings, redisUrl);
    const wsUrl = `ws://127.0.0.1:${port}/${settings.websocketPath.replace(/^\/+/, '')}`;
    nodes.push({
      url: `http://127.0.0.1:${port}/api`,
      wsUrl,
      async connect(user, options = {}) {
        const socket = await TestSocket.open(`${wsUrl}?token=${tokens.issue(user.id)}${options.presence ? '&presence=1' : ''}${options.resume ? '&resume=1' : ''}`);
        await socket.event('chat.notifications');
        return socket;
      },
      stop,
    });
  }
  return nodes;
}

async function localNode(orm: MikroORM, settings: ChatSettings, redisUrl: string): Promise<{ port: number; stop(): Promise<void> }> {
  const server: ChatServer = await startChatServer(orm, settings, { layer: new RedisChannelLayer({ url: redisUrl }), presenceIntervalMs: 500, resyncIntervalMs: 0 });
  return { port: Number(new URL(server.url).port), stop: () => server.stop() };
}

async function childNode(databaseUrl: string, redisUrl: string): Promise<{ port: number; stop(): Promise<void> }> {
  const script = fileURLToPath(new URL('./chat-node.js', import.meta.url));
  const child = spawn(process.execPath, [script], {
    env: { ...process.env, CHAT_NODE_DATABASE: databaseUrl, CHAT_NODE_REDIS: redisUrl },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`chat node did not start: ${output}`)), 30_000);
    child.stdout!.on('data', chunk => {
      output += chunk;
      const match = /LISTENING (\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.once('exit', code => reject(new Error(`chat node exited (${code}): ${output}`)));
  });
  return {
    port,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise(resolve => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
