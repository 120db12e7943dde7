/**
 * The WebSocket server's options: every default in one place, applied and checked once at
 * start-up, so the rest of the server reads plain, complete values.
 */
import type { MikroORM } from '@mikro-orm/core';
import type { EventHandler } from '../engine/event-handler.js';
import type { NotificationProvider } from '../engine/notifications.js';
import { ChatConfigurationError, type ConfigurationProblem } from '../errors/configuration-error.js';
import type { Authenticate } from '../http/authentication.js';
import { consoleLogger, type ChatLogger } from '../logging/chat-logger.js';
import type { RateLimit } from '../limits/token-bucket.js';
import type { ChatSettings } from '../settings/types.js';
import type { ChannelLayer } from './channel-layer.js';
import { MemoryChannelLayer } from './memory-layer.js';

/** Timings of the server, in ms. */
export interface HubTimings {
  /** Ping every socket this often (0: never, so only frames keep a session active); one that missed the previous pong is cut off (and goes offline). */
  readonly pingIntervalMs: number;
  /**
   * Renew this process's lease and announce its online users this often (default a fifth of the
   * ping interval, at most a quarter): a process dead for three of these is taken for dead.
   */
  readonly presenceIntervalMs: number;
  /** Re-read the latest number of every room with a socket here this often (0: never), to catch anything lost. */
  readonly resyncIntervalMs: number;
}

/** How the WebSocket server is set up; everything but `orm`, `settings` and `authenticate` has a default. */
export interface ChatWebSocketOptions extends Partial<HubTimings> {
  readonly orm: MikroORM;
  readonly settings: ChatSettings;
  /** The same function as REST's: the user of an upgrade request, or null (401, no socket). */
  readonly authenticate: Authenticate;
  /** The engine (default: the one the settings configure). */
  readonly engine?: EventHandler;
  readonly notifier?: NotificationProvider;
  /** How processes share events (default: in memory, one process). */
  readonly layer?: ChannelLayer;
  /** The path (default: the `websocketPath` setting, with or without its trailing slash). */
  readonly path?: string;
  /** Largest frame accepted, in bytes (default 256 KiB); a larger one closes the socket with 1009. */
  readonly maxPayload?: number;
  /** Bytes waiting to be sent to a socket past which it is closed as too slow, 4009 (default 4 MiB). */
  readonly maxBufferedBytes?: number;
  /** Frames a socket may send (default 60 at once, 30 a second); past it error 4029, then close 1008. */
  readonly rateLimit?: RateLimit;
  /** Frames waiting to be handled per socket past which new ones get 4029 (default 100). */
  readonly maxQueuedFrames?: number;
  /** How long a socket opened with `?resume=1` holds room events until `session.resume`, from the end of its set-up (default 10 s). */
  readonly resumeHoldMs?: number;
  /** Accept unauthenticated upgrades and close them with 4001 (as Channels' test client sees it) instead of answering 401. */
  readonly closeOnAuthFailure?: boolean;
  /** Browser origins allowed to connect (`https://chat.example.com`); another `Origin` gets 403. Default: any. */
  readonly allowedOrigins?: readonly string[];
  /** Sockets one user may hold open on this process (default 20); another upgrade gets 429 `too_many_connections`. */
  readonly maxSocketsPerUser?: number;
  /** Where failures nobody's request fails for (a handler that threw, the lease, the session upkeep) are reported (default: the console). */
  readonly logger?: ChatLogger;
}

/** The options with every default applied. */
export interface WebSocketConfig extends HubTimings {
  readonly orm: MikroORM;
  readonly settings: ChatSettings;
  readonly authenticate: Authenticate;
  readonly engine: EventHandler | undefined;
  readonly notifier: NotificationProvider | undefined;
  readonly layer: ChannelLayer;
  /** Normalised: one leading slash, no trailing one. */
  readonly path: string;
  readonly maxPayload: number;
  readonly maxBufferedBytes: number;
  readonly rateLimit: RateLimit;
  readonly maxQueuedFrames: number;
  readonly resumeHoldMs: number;
  readonly closeOnAuthFailure: boolean;
  readonly allowedOrigins: readonly string[] | undefined;
  readonly maxSocketsPerUser: number;
  readonly logger: ChatLogger;
  /** The `inactivityThreshold` setting, in ms: a socket silent this long is closed (4008). */
  readonly inactivityMs: number;
}

/** The defaults of every optional limit and timing. */
export const WEBSOCKET_DEFAULTS = Object.freeze({
  maxPayload: 256 * 1024,
  maxBufferedBytes: 4 * 1024 * 1024,
  rateLimit: Object.freeze({ burst: 60, perSecond: 30 }),
  maxQueuedFrames: 100,
  resumeHoldMs: 10_000,
  closeOnAuthFailure: false,
  maxSocketsPerUser: 20,
  pingIntervalMs: 25_000,
  resyncIntervalMs: 30_000,
});

/** How often presence is announced when pings are off (`pingIntervalMs: 0`). */
const NO_PING_PRESENCE_INTERVAL_MS = 10_000;

/** Applies the defaults and checks every value; throws `ChatConfigurationError` listing each bad one. */
export function normalizeOptions(options: ChatWebSocketOptions): WebSocketConfig {
  const pingIntervalMs = options.pingIntervalMs ?? WEBSOCKET_DEFAULTS.pingIntervalMs;
  const config: WebSocketConfig = {
    orm: options.orm,
    settings: options.settings,
    authenticate: options.authenticate,
    engine: options.engine,
    notifier: options.notifier,
    layer: options.layer ?? new MemoryChannelLayer(),
    path: normalizePath(options.path ?? options.settings.websocketPath),
    maxPayload: options.maxPayload ?? WEBSOCKET_DEFAULTS.maxPayload,
    maxBufferedBytes: options.maxBufferedBytes ?? WEBSOCKET_DEFAULTS.maxBufferedBytes,
    rateLimit: options.rateLimit ?? WEBSOCKET_DEFAULTS.rateLimit,
    maxQueuedFrames: options.maxQueuedFrames ?? WEBSOCKET_DEFAULTS.maxQueuedFrames,
    resumeHoldMs: options.resumeHoldMs ?? WEBSOCKET_DEFAULTS.resumeHoldMs,
    closeOnAuthFailure: options.closeOnAuthFailure ?? WEBSOCKET_DEFAULTS.closeOnAuthFailure,
    allowedOrigins: options.allowedOrigins,
    maxSocketsPerUser: options.maxSocketsPerUser ?? WEBSOCKET_DEFAULTS.maxSocketsPerUser,
    logger: options.logger ?? consoleLogger,
    pingIntervalMs,
    // A dead process's lease lapses after three of these and is claimed within a fourth: one ping interval in all.
    presenceIntervalMs: pingIntervalMs > 0 ? Math.min(options.presenceIntervalMs ?? pingIntervalMs / 5, pingIntervalMs / 4) : (options.presenceIntervalMs ?? NO_PING_PRESENCE_INTERVAL_MS),
    resyncIntervalMs: options.resyncIntervalMs ?? WEBSOCKET_DEFAULTS.resyncIntervalMs,
    inactivityMs: options.settings.inactivityThreshold * 1000,
  };
  validate(config);
  // No pings (0) is a choice: sockets then stay active by their frames alone, as the threshold says.
  if (config.pingIntervalMs > 0 && config.pingIntervalMs >= config.inactivityMs) {
    config.logger.warn(
      `pingIntervalMs (${config.pingIntervalMs}) is not below inactivityThreshold (${options.settings.inactivityThreshold} s): ` +
        'clients that only answer pings (no session.heartbeat) will be closed with 4008.',
    );
  }
  return config;
}

/** `/messaging/`, `messaging/` and `/messaging` are one path. */
export function normalizePath(path: string): string {
  return `/${path.replace(/^\/+|\/+$/g, '')}`;
}

function validate(config: WebSocketConfig): void {
  const problems: ConfigurationProblem[] = [];
  const positive = (path: string, value: number) => {
    if (!Number.isFinite(value) || value <= 0) problems.push({ path, message: `must be a positive number, not ${value}` });
  };
  positive('maxPayload', config.maxPayload);
  positive('maxBufferedBytes', config.maxBufferedBytes);
  positive('rateLimit.burst', config.rateLimit.burst);
  positive('rateLimit.perSecond', config.rateLimit.perSecond);
  positive('maxQueuedFrames', config.maxQueuedFrames);
  positive('maxSocketsPerUser', config.maxSocketsPerUser);
  if (!Number.isFinite(config.pingIntervalMs) || config.pingIntervalMs < 0) problems.push({ path: 'pingIntervalMs', message: `must be 0 (no pings) or more, not ${config.pingIntervalMs}` });
  positive('presenceIntervalMs', config.presenceIntervalMs);
  if (typeof config.logger?.error !== 'function' || typeof config.logger.warn !== 'function') {
    problems.push({ path: 'logger', message: 'must have error(message, error) and warn(message) methods' });
  }
  if (!Number.isFinite(config.resumeHoldMs) || config.resumeHoldMs < 0) problems.push({ path: 'resumeHoldMs', message: `must be 0 or more, not ${config.resumeHoldMs}` });
  if (!Number.isFinite(config.resyncIntervalMs) || config.resyncIntervalMs < 0) {
    problems.push({ path: 'resyncIntervalMs', message: `must be 0 (never) or more, not ${config.resyncIntervalMs}` });
  }
  if (problems.length > 0) throw new ChatConfigurationError(problems);
}
