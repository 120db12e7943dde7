/**
 * The Redis channel layer: several server processes behind a load balancer share one pub/sub
 * channel. Redis keeps nothing: a message published while a node is cut off is lost to that node,
 * so every reconnection asks the nodes to re-read the event log (`onResync`), which is complete.
 */
import { randomUUID } from 'node:crypto';
import type { Redis, RedisOptions } from 'ioredis';
import { lazyRequire } from '../orm/lazy-require.js';

const ioredis = lazyRequire<typeof import('ioredis')>('ioredis');
import type { ChannelLayer, Envelope, LayerMessage } from './channel-layer.js';
import type { NodeLeases } from './node-leases.js';

/** Where the layer's Redis is and which channel the chat uses. */
export interface RedisLayerOptions {
  /** `redis://host:port/db` (default `redis://127.0.0.1:6379`). */
  readonly url?: string;
  /** The pub/sub channel; processes of one chat must agree on it (default `realtime-chat`). */
  readonly channel?: string;
  /** Extra ioredis options for both connections. */
  readonly redis?: RedisOptions;
  /** How long `start()` waits for the first connection before failing, in ms (default 10,000). */
  readonly connectTimeoutMs?: number;
}

export class RedisChannelLayer implements ChannelLayer {
  readonly nodeId = randomUUID();
  private readonly channel: string;
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly resyncListeners: (() => void)[] = [];
  private listener: ((message: Envelope) => void) | undefined;
  private closed = false;
  /** Every node's lease is a key with a time to live, and the set of nodes lists whose key to look for. */
  readonly leases: NodeLeases;

  constructor(private readonly options: RedisLayerOptions = {}) {
    this.channel = options.channel ?? 'realtime-chat';
    const connection: RedisOptions = {
      lazyConnect: true,
      // Keep publishing through an outage: commands wait in the offline queue until Redis is back.
      maxRetriesPerRequest: null,
      retryStrategy: times => Math.min(50 * times, 1000),
      autoResubscribe: false,
      ...options.redis,
    };
    const url = options.url ?? 'redis://127.0.0.1:6379';
    const { Redis: Client } = ioredis();
    this.publisher = new Client(url, connection);
    this.subscriber = new Client(url, connection);
    this.leases = new RedisNodeLeases(this.publisher, this.channel, this.nodeId);
  }

  async start(listener: (message: Envelope) => void): Promise<void> {
    this.listener = listener;
    const quiet = () => {};
    // ioredis reports every failed reconnection attempt as an error event; the layer recovers by itself.
    this.publisher.on('error', quiet);
    this.subscriber.on('error', quiet);
    this.subscriber.on('message', (channel: string, text: string) => {
      if (channel === this.channel) this.receive(text);
    });
    await this.connectBoth();
    this.watch(this.subscriber, async () => {
      await this.subscriber.subscribe(this.channel);
      for (const resync of this.resyncListeners) resync();
    });
    this.watch(this.publisher, async () => this.send({ kind: 'resync' }));
  }

  publish(message: LayerMessage): void {
    // This node first, at once; the others through Redis.
    this.listener?.({ ...message, node: this.nodeId });
    this.send(message);
  }

  onResync(listener: () => void): void {
    this.resyncListeners.push(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listener = undefined;
    this.publisher.disconnect();
    this.subscriber.disconnect();
  }

  private send(message: LayerMessage): void {
    if (this.closed) return;
    this.publisher.publish(this.channel, JSON.stringify({ ...message, node: this.nodeId })).catch(() => {
      // Lost: the receivers' periodic log check and the resync on reconnection recover it.
    });
  }

  private receive(text: string): void {
    let message: Envelope;
    try {
      message = JSON.parse(text) as Envelope;
    } catch {
      return;
    }
    if (message.node !== this.nodeId) this.listener?.(message);
  }

  private async connectBoth(): Promise<void> {
    const timeoutMs = this.options.connectTimeoutMs ?? 10_000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Redis channel layer: no connection to ${this.options.url ?? 'redis://127.0.0.1:6379'} after ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([Promise.all([this.publisher.connect(), this.subscriber.connect()]), timeout]);
      await this.subscriber.subscribe(this.channel);
    } catch (error) {
      this.publisher.disconnect();
      this.subscriber.disconnect();
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Runs `recovered` each time `client` is ready again after losing its connection. */
  private watch(client: Redis, recovered: () => Promise<void>): void {
    let lost = false;
    client.on('close', () => void (lost = true));
    client.on('ready', () => {
      if (!lost || this.closed) return;
      lost = false;
      recovered().catch(() => {});
    });
  }
}

/**
 * Renews this node's lease key and lists it among the nodes, atomically; returns the key's previous
 * value (nil when it had lapsed).
 */
const RENEW = `local previous = redis.call('SET', KEYS[1], '1', 'PX', ARGV[1], 'GET')
redis.call('SADD', KEYS[2], ARGV[2])
return previous`;

/**
 * Takes every listed node whose lease key is gone off the list and returns it: atomic, so each
 * lapsed node is claimed by one caller only, and a node renewing meanwhile is never claimed.
 */
const CLAIM_LAPSED = `local lapsed = {}
for _, node in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if redis.call('EXISTS', ARGV[1] .. node) == 0 then
    redis.call('SREM', KEYS[1], node)
    table.insert(lapsed, node)
  end
end
return lapsed`;

/** Leases in Redis: `<channel>:lease:<node>` keys that expire, and the `<channel>:nodes` set. */
class RedisNodeLeases implements NodeLeases {
  private readonly prefix: string;
  private readonly nodes: string;

  constructor(
    private readonly redis: Redis,
    channel: string,
    private readonly nodeId: string,
  ) {
    this.prefix = `${channel}:lease:`;
    this.nodes = `${channel}:nodes`;
  }

  async renew(ttlMs: number): Promise<boolean> {
    const previous = await this.redis.eval(RENEW, 2, this.prefix + this.nodeId, this.nodes, Math.max(1, Math.round(ttlMs)), this.nodeId);
    return previous !== null;
  }

  async claimLapsed(): Promise<string[]> {
    return (await this.redis.eval(CLAIM_LAPSED, 1, this.nodes, this.prefix)) as string[];
  }

  async live(): Promise<string[]> {
    const nodes = await this.redis.smembers(this.nodes);
    if (nodes.length === 0) return [];
    const held = await this.redis.exists(...nodes.map(node => this.prefix + node));
    // Most often all of them; otherwise ask one by one (a lapsed one is claimed soon anyway).
    if (held === nodes.length) return nodes;
    const each = await Promise.all(nodes.map(node => this.redis.exists(this.prefix + node)));
    return nodes.filter((_, i) => each[i] === 1);
  }

  async release(): Promise<void> {
    await this.redis.multi().del(this.prefix + this.nodeId).srem(this.nodes, this.nodeId).exec();
  }
}
