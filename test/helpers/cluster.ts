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
  /** Kills the node's process at once (SIGKILL: no socket closed, no row deleted), as a crash would; only nodes in processes of their own. */
  kill(): Promise<void>;
  /** Freezes (SIGSTOP) or thaws (SIGCONT) the node's process; only nodes in processes of their own. */
  freeze(frozen: boolean): void;
}

/** Timings of the nodes: presence every 500 ms unless given (null: the hub's default), the hub's default ping interval unless given. */
export interface NodeTimings {
  readonly pingIntervalMs?: number;
  readonly presenceIntervalMs?: number | null;
}

/** Starts `count` nodes on the database and the Redis at `redisUrl`. */
export async function startNodes(count: number, database: TestDatabase, orm: MikroORM, settings: ChatSettings, redisUrl: string, timings: NodeTimings = {}): Promise<ChatNode[]> {
  const tokens = tokenAuthentication(orm, TOKEN_SECRET);
  const nodes: ChatNode[] = [];
  for (let i = 0; i < count; i++) {
    const { port, stop, kill, freeze } =
      database.kind === 'postgresql' ? await childNode(database.target.url!, redisUrl, timings) : await localNode(orm, settings, redisUrl, timings);
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
      kill,
      freeze,
    });
  }
  return nodes;
}

interface RunningNode {
  readonly port: number;
  stop(): Promise<void>;
  kill(): Promise<void>;
  freeze(frozen: boolean): void;
}

async function localNode(orm: MikroORM, settings: ChatSettings, redisUrl: string, timings: NodeTimings): Promise<RunningNode> {
  const server: ChatServer = await startChatServer(orm, settings, {
    layer: new RedisChannelLayer({ url: redisUrl }),
    ...(timings.presenceIntervalMs !== null ? { presenceIntervalMs: timings.presenceIntervalMs ?? 500 } : {}),
    ...(timings.pingIntervalMs !== undefined ? { pingIntervalMs: timings.pingIntervalMs } : {}),
    resyncIntervalMs: 0,
  });
  return {
    port: Number(new URL(server.url).port),
    stop: () => server.stop(),
    kill: () => Promise.reject(new Error('a node in this process cannot be killed: run on PostgreSQL')),
    freeze: () => {
      throw new Error('a node in this process cannot be frozen: run on PostgreSQL');
    },
  };
}

async function childNode(databaseUrl: string, redisUrl: string, timings: NodeTimings): Promise<RunningNode> {
  const script = fileURLToPath(new URL('./chat-node.js', import.meta.url));
  const env: NodeJS.ProcessEnv = { ...process.env, CHAT_NODE_DATABASE: databaseUrl, CHAT_NODE_REDIS: redisUrl };
  if (timings.pingIntervalMs !== undefined) env.CHAT_NODE_PING_MS = String(timings.pingIntervalMs);
  if (timings.presenceIntervalMs !== undefined) env.CHAT_NODE_PRESENCE_MS = String(timings.presenceIntervalMs ?? '');
  const child = spawn(process.execPath, [script], {
    env,
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
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise(resolve => child.once('exit', resolve));
    child.kill(signal);
    await exited;
  };
  return { port, stop: () => end('SIGTERM'), kill: () => end('SIGKILL'), freeze: frozen => void child.kill(frozen ? 'SIGSTOP' : 'SIGCONT') };
}
