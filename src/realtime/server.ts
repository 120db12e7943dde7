/**
 * `attachChatWebSocket`: the WebSocket half of the package on the application's own HTTP server,
 * at the `websocketPath` setting. Upgrades are authenticated with the same function as REST.
 */
import { STATUS_CODES, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { MikroORM } from '@mikro-orm/core';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { createChatEngine } from '../engine/chat-engine.js';
import type { EventHandler } from '../engine/event-handler.js';
import type { ActionResult } from '../engine/events.js';
import type { NotificationProvider } from '../engine/notifications.js';
import type { AbstractUser } from '../entities/user.js';
import type { Authenticate } from '../http/authentication.js';
import { configuredClass } from '../settings/configured-class.js';
import type { ChatSettings } from '../settings/types.js';
import type { ChannelLayer } from './channel-layer.js';
import { ChatConnection, type ConnectionLimits } from './connection.js';
import { ChatConsumer } from './consumer.js';
import { resolveEventMap } from './event-mapper.js';
import { ExceptionHandler } from './exception-handler.js';
import { RealtimeHub, type HubTimings } from './hub.js';
import { MemoryChannelLayer } from './memory-layer.js';
import { FrameError, parseRequest, WS_CODES, type ClientRequest } from './protocol.js';
import type { RateLimit } from '../limits/token-bucket.js';

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
  /** How long a socket opened with `?resume=1` holds room events until `session.resume` (default 10 s). */
  readonly resumeHoldMs?: number;
  /** Accept unauthenticated upgrades and close them with 4001 (as Channels' test client sees it) instead of answering 401. */
  readonly closeOnAuthFailure?: boolean;
  /** Browser origins allowed to connect (`https://chat.example.com`); another `Origin` gets 403. Default: any. */
  readonly allowedOrigins?: readonly string[];
  /** Sockets one user may hold open on this process (default 20); another upgrade gets 429 `too_many_connections`. */
  readonly maxSocketsPerUser?: number;
}

/** The running WebSocket server. */
export interface ChatWebSocket {
  readonly hub: RealtimeHub;
  /** Delivers an outcome of a REST call to the sockets: pass it as `chatApi`'s `publish`. */
  publish(outcome: ActionResult): void;
  /** Sockets open on this process. */
  connectionCount(): number;
  /** Closes every socket (1001), stops the timers and leaves the layer; the HTTP server is left running. */
  close(): Promise<void>;
}

/** Attaches the chat's WebSocket server to `server` and starts its hub (and channel layer). */
export async function attachChatWebSocket(server: Server, options: ChatWebSocketOptions): Promise<ChatWebSocket> {
  const { orm, settings } = options;
  const Consumer = configuredClass(settings.chatConsumerClass, ChatConsumer, 'chatConsumerClass');
  const Exceptions = configuredClass(settings.exceptionHandlerClass, ExceptionHandler, 'exceptionHandlerClass');
  const handlers = resolveEventMap(settings.eventMapper, Consumer);
  const exceptions = new Exceptions();
  const engine = options.engine ?? createChatEngine({ orm, settings, notifier: options.notifier });
  const pingIntervalMs = options.pingIntervalMs ?? 25_000;
  if (pingIntervalMs >= settings.inactivityThreshold * 1000) {
    console.warn(
      `realtime-chat-messaging: pingIntervalMs (${pingIntervalMs}) is not below inactivityThreshold (${settings.inactivityThreshold} s): ` +
        'clients that only answer pings (no session.heartbeat) will be closed with 4008.',
    );
  }
  const hub = new RealtimeHub({
    orm,
    settings,
    engine,
    handlers,
    layer: options.layer ?? new MemoryChannelLayer(),
    pingIntervalMs,
    // A dead process's lease lapses after three of these and is claimed within a fourth: one ping interval in all.
    presenceIntervalMs: Math.min(options.presenceIntervalMs ?? pingIntervalMs / 5, pingIntervalMs / 4),
    resyncIntervalMs: options.resyncIntervalMs ?? 30_000,
  });
  await hub.start();
  const limits: ConnectionLimits = {
    maxBufferedBytes: options.maxBufferedBytes ?? 4 * 1024 * 1024,
    rateLimit: options.rateLimit ?? { burst: 60, perSecond: 30 },
    maxQueuedFrames: options.maxQueuedFrames ?? 100,
  };
  const path = normalizePath(options.path ?? settings.websocketPath);
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: options.maxPayload ?? 256 * 1024,
    perMessageDeflate: false,
    // A token sent as a subprotocol must be echoed, or browsers drop the connection: prefer another entry.
    handleProtocols: protocols => [...protocols].find(p => !p.includes('.')) ?? [...protocols][0] ?? false,
  });

  // Sockets per user on this process, counted from the accepted upgrade to the close.
  const maxSocketsPerUser = options.maxSocketsPerUser ?? 20;
  const socketsOf = new Map<string, number>();
  const release = (userId: string) => {
    const left = (socketsOf.get(userId) ?? 1) - 1;
    if (left > 0) socketsOf.set(userId, left);
    else socketsOf.delete(userId);
  };

  const accept = async (socket: WebSocket, user: AbstractUser, request: IncomingMessage, url: URL) => {
    const hold = url.searchParams.get('resume') === '1' ? (options.resumeHoldMs ?? 10_000) : 0;
    const connection = new ChatConnection(socket, user, hub.log, limits, hold);
    connection.presence = url.searchParams.get('presence') === '1';
    const upgrade = { url: request.url ?? '/', headers: request.headers, remoteAddress: request.socket.remoteAddress };
    const consumer = new Consumer({ connection, engine, settings, hub, request: upgrade });
    let opened = false;
    socket.on('error', () => {}); // a protocol error (oversized frame, bad opcode) closes the socket; nothing else to do
    // A pong is activity too: clients that answer pings (every browser does) but never send a frame stay active.
    socket.on('pong', () => {
      connection.alive = true;
      hub.touch(connection);
    });
    socket.on('message', (raw, isBinary) => receiveFrame(connection, consumer, raw, isBinary));
    socket.once('close', code => {
      connection.closed();
      if (!opened) return;
      hub.close(connection).catch(error => console.error('realtime-chat-messaging: closing a socket failed:', error));
      consumer.disconnect(code).catch(error => console.error('realtime-chat-messaging: disconnect() failed:', error));
    });
    connection.enqueue(async () => {
      let allowed = false;
      try {
        allowed = (await consumer.connect()) !== false;
      } catch (error) {
        console.error('realtime-chat-messaging: connect() failed:', error);
      }
      if (!allowed) return connection.drop(WS_CODES.authenticationFailed, 'Authentication failed');
      if (!connection.open) return;
      opened = true;
      try {
        await hub.open(connection);
      } catch (error) {
        console.error('realtime-chat-messaging: opening a socket failed:', error);
        connection.drop(1011, 'Internal server error');
      }
    });
  };

  /** Answers a failed frame with its error frame; when even that fails, the socket (not the process) goes. */
  const answerFailure = (connection: ChatConnection, error: unknown, request?: ClientRequest) => {
    try {
      connection.sendFrame(exceptions.toFrame(error, request));
    } catch (failure) {
      console.error('realtime-chat-messaging: answering a failed frame failed:', failure);
      connection.drop(1011, 'Internal server error');
    }
  };

  // Nothing a frame holds may throw out of here: every failure, sync or async, ends as an error frame or a close code.
  const receiveFrame = (connection: ChatConnection, consumer: ChatConsumer, raw: RawData, isBinary: boolean) => {
    let request: ClientRequest | undefined;
    try {
      if (!connection.open) return;
      hub.touch(connection);
      const admission = connection.admit();
      if (admission === 'flood') return connection.drop(1008, 'Rate limit exceeded');
      if (admission === 'limited') {
        return connection.sendFrame({ error: { code: WS_CODES.rateLimited, detail: `Rate limit exceeded: at most ${limits.rateLimit.perSecond} frames a second` } });
      }
      if (isBinary) throw new FrameError('Binary frames are not accepted: send JSON text.');
      const parsed = parseRequest(rawText(raw));
      request = parsed;
      if (connection.holding && parsed.eventType !== 'session.resume') connection.release();
      connection.enqueue(async () => {
        if (!connection.open) return;
        try {
          await consumer.receive(parsed);
        } catch (error) {
          answerFailure(connection, error, parsed);
        }
      });
    } catch (error) {
      answerFailure(connection, error, request);
    }
  };

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => {});
    let url: URL;
    try {
      url = new URL(request.url ?? '/', 'http://localhost');
    } catch {
      // An absolute-form target Node let through but URL cannot read (`GET http://[bad/ …`).
      return refuse(socket, 400, 'bad_request', 'The request target is not a valid URL.');
    }
    if (normalizePath(url.pathname) !== path) {
      // Another upgrade handler may want it; if there is none, answer rather than leave it hanging.
      if (server.listenerCount('upgrade') === 1) refuse(socket, 404, 'not_found', `No WebSocket endpoint at ${url.pathname}`);
      return;
    }
    const origin = request.headers.origin;
    if (options.allowedOrigins && origin !== undefined && !options.allowedOrigins.includes(origin)) {
      return refuse(socket, 403, 'origin_not_allowed', `Origin ${origin} may not connect.`);
    }
    options.authenticate(request).then(
      user => {
        if (socket.destroyed) return;
        if (user && (socketsOf.get(user.id) ?? 0) >= maxSocketsPerUser) {
          return refuse(socket, 429, 'too_many_connections', `At most ${maxSocketsPerUser} connections per user: close another one first.`);
        }
        if (user) {
          socketsOf.set(user.id, (socketsOf.get(user.id) ?? 0) + 1);
          // Counted until the WebSocket closes, or the connection if the handshake never completes.
          let upgraded = false;
          socket.once('close', () => upgraded || release(user.id));
          return wss.handleUpgrade(request, socket, head, ws => {
            upgraded = true;
            ws.once('close', () => release(user.id));
            accept(ws, user, request, url).catch(error => {
              console.error('realtime-chat-messaging: setting up a socket failed:', error);
              ws.terminate();
            });
          });
        }
        if (options.closeOnAuthFailure) return wss.handleUpgrade(request, socket, head, ws => ws.close(WS_CODES.authenticationFailed, 'Authentication failed'));
        refuse(socket, 401, 'authentication_required', 'Authentication credentials were not provided or are invalid.');
      },
      error => {
        console.error('realtime-chat-messaging: authenticate() failed:', error);
        refuse(socket, 500, 'internal_error', 'Internal server error.');
      },
    );
  };
  server.on('upgrade', onUpgrade);

  return {
    hub,
    publish: outcome => hub.publish(outcome),
    connectionCount: () => hub.sockets.byId.size,
    async close() {
      server.off('upgrade', onUpgrade);
      await hub.stop();
      for (const client of wss.clients) client.terminate();
      await new Promise<void>(resolve => wss.close(() => resolve()));
    },
  };
}

/** `/messaging/`, `messaging/` and `/messaging` are one path. */
function normalizePath(path: string): string {
  return `/${path.replace(/^\/+|\/+$/g, '')}`;
}

function rawText(raw: RawData): string {
  if (Array.isArray(raw)) return Buffer.concat(raw).toString('utf8');
  return Buffer.isBuffer(raw) ? raw.toString('utf8') : Buffer.from(raw).toString('utf8');
}

/** Answers an upgrade with an HTTP error (JSON, like the REST API's) and closes the connection. */
function refuse(socket: Duplex, status: number, code: string, message: string): void {
  const body = JSON.stringify({ error: { code, message } });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
