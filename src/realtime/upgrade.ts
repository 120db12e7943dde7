/**
 * The upgrade: from an HTTP upgrade request to a set-up socket. The request is checked (path,
 * origin, user, the user's socket cap) and refused with an HTTP answer when it fails; an accepted
 * socket gets its connection and its consumer, its events wired, and its set-up run after the
 * consumer's `connect()` allowed it.
 */
import { STATUS_CODES, type IncomingHttpHeaders, type IncomingMessage, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { WebSocket, WebSocketServer } from 'ws';
import type { AbstractUser } from '../entities/user.js';
import type { Authenticate } from '../http/authentication.js';
import type { ChatLogger } from '../logging/chat-logger.js';
import { ChatConnection, type ConnectionLimits } from './connection.js';
import type { ChatConsumer, ConsumerContext, UpgradeRequest } from './consumer.js';
import type { FrameAdmission } from './frame-admission.js';
import { normalizePath } from './options.js';
import { WS_CODES } from './protocol.js';
import type { RoomLogReader } from './room-log-reader.js';
import type { SocketLifecycle } from './socket-lifecycle.js';

/** What the upgrade works with. */
export interface UpgradeOptions {
  readonly server: Server;
  readonly wss: WebSocketServer;
  /** Normalised (see `normalizePath`). */
  readonly path: string;
  readonly allowedOrigins: readonly string[] | undefined;
  readonly authenticate: Authenticate;
  readonly maxSocketsPerUser: number;
  readonly closeOnAuthFailure: boolean;
  readonly resumeHoldMs: number;
  readonly limits: ConnectionLimits;
  readonly log: RoomLogReader;
  /** Makes the consumer of a socket (the configured class, over everything but the socket's own parts). */
  consumer(context: Pick<ConsumerContext, 'connection' | 'request'>): ChatConsumer;
  readonly admit: FrameAdmission;
  readonly lifecycle: SocketLifecycle;
  /** The client was active (a pong). */
  touch(connection: ChatConnection): void;
  /** Where failures of authentication, set-up and close are reported. */
  readonly logger: ChatLogger;
}

/** The server's `upgrade` listener. */
export function upgradeHandler(options: UpgradeOptions): (request: IncomingMessage, socket: Duplex, head: Buffer) => void {
  const { server, wss, path, allowedOrigins, authenticate, maxSocketsPerUser, logger } = options;
  // Sockets per user on this process, counted from the accepted upgrade to the close.
  const socketsOf = new Map<string, number>();
  const release = (userId: string) => {
    const left = (socketsOf.get(userId) ?? 1) - 1;
    if (left > 0) socketsOf.set(userId, left);
    else socketsOf.delete(userId);
  };

  return (request, socket, head) => {
    socket.on('error', ignore);
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
    if (allowedOrigins && origin !== undefined && !allowedOrigins.includes(origin)) {
      return refuse(socket, 403, 'origin_not_allowed', `Origin ${origin} may not connect.`);
    }
    authenticate(request).then(
      user => {
        if (socket.destroyed) return;
        if (user && (socketsOf.get(user.id) ?? 0) >= maxSocketsPerUser) {
          return refuse(socket, 429, 'too_many_connections', `At most ${maxSocketsPerUser} connections per user: close another one first.`);
        }
        if (user) {
          socketsOf.set(user.id, (socketsOf.get(user.id) ?? 0) + 1);
          return upgradeAccepted(options, request, socket, head, user, url, releaser(release, user.id));
        }
        if (options.closeOnAuthFailure) return wss.handleUpgrade(request, socket, head, ws => ws.close(WS_CODES.authenticationFailed, 'Authentication failed'));
        refuse(socket, 401, 'authentication_required', 'Authentication credentials were not provided or are invalid.');
      },
      error => {
        logger.error('authenticate() failed', error);
        refuse(socket, 500, 'internal_error', 'Internal server error.');
      },
    );
  };
}

/**
 * Completes the upgrade of an accepted user. `release` gives the user's socket count back once the
 * WebSocket closes (or the connection, if the handshake never completes).
 *
 * The listeners that live as long as the socket are made in functions of their own, over only what
 * they use: a closure made here would keep the upgrade request, its URL and `head` alive with the
 * socket, a few KiB for each of ten thousand idle sockets.
 */
function upgradeAccepted(options: UpgradeOptions, request: IncomingMessage, socket: Duplex, head: Buffer, user: AbstractUser, url: URL, release: () => void): void {
  // Until the handshake completes; then the WebSocket's own close gives the count back. `on`, not
  // `once`: close comes once anyway, and a once-wrapper is three more objects per socket.
  socket.on('close', release);
  const settings = {
    hold: url.searchParams.get('resume') === '1' ? options.resumeHoldMs : 0,
    presence: url.searchParams.get('presence') === '1',
    upgrade: new KeptRequest(keptUrl(url), keptHeaders(request.headers), socket),
  };
  // The handshake's answer waits for the set-up's first frame (see `accept`): both leave in one
  // write, and the client wakes once for them. A refused handshake's answer ends the socket, which
  // writes what it holds.
  socket.cork();
  options.wss.handleUpgrade(request, socket, head, ws => {
    socket.off('close', release);
    accept(options, ws, socket, user, settings, release);
  });
}

/**
 * The request's path and query without its `token`: a credential has no business outliving the
 * authentication in every idle socket (and a hundred bytes each).
 */
function keptUrl(url: URL): string {
  if (!url.searchParams.has('token')) return url.pathname + url.search;
  const query = new URLSearchParams(url.search);
  query.delete('token');
  const search = query.toString();
  return search === '' ? url.pathname : `${url.pathname}?${search}`;
}

/** The handshake's own headers, of no use once it is done: not kept with the socket. */
const HANDSHAKE_HEADERS = new Set(['connection', 'upgrade', 'sec-websocket-key', 'sec-websocket-version', 'sec-websocket-extensions']);

/** The request's headers but the handshake's own (five strings and their slots fewer per idle socket). */
function keptHeaders(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const kept: IncomingHttpHeaders = {};
  for (const name in headers) if (!HANDSHAKE_HEADERS.has(name)) kept[name] = headers[name];
  return kept;
}

/** What a consumer sees of the upgrade request; the address is read from the socket (which the connection keeps anyway) only if asked. */
class KeptRequest implements UpgradeRequest {
  constructor(
    readonly url: string,
    readonly headers: IncomingHttpHeaders,
    private readonly socket: Duplex,
  ) {}

  get remoteAddress(): string | undefined {
    return (this.socket as Partial<Socket>).remoteAddress;
  }
}

/** Gives `userId`'s socket back (a closure over nothing of the upgrade request). */
function releaser(release: (userId: string) => void, userId: string): () => void {
  return () => release(userId);
}

/** An error listener that does nothing (made once, so that it holds on to nothing). */
function ignore(): void {}

/** What an accepted socket keeps of its upgrade request. */
interface AcceptedRequest {
  /** How long to hold room events for a resume (ms; 0: no hold). */
  readonly hold: number;
  readonly presence: boolean;
  readonly upgrade: ConsumerContext['request'];
}

/**
 * An accepted socket: its connection and consumer, its events, then `connect()` and its set-up, in
 * its queue. The transport stays corked (by `upgradeAccepted`) until the set-up is over, whatever its
 * end: the 101 and the first frame (or the close that ends a refused or failed set-up) go together.
 */
function accept(options: UpgradeOptions, socket: WebSocket, transport: Duplex, user: AbstractUser, { hold, presence, upgrade }: AcceptedRequest, release: () => void): void {
  const { lifecycle, admit, logger } = options;
  const connection = new ChatConnection(socket, user, options.log, options.limits, hold, logger);
  connection.transport = transport;
  connection.presence = presence;
  let consumer: ChatConsumer;
  try {
    consumer = options.consumer({ connection, request: upgrade });
  } catch (error) {
    logger.error('setting up a socket failed', error);
    socket.on('close', release);
    // The 101 it holds goes first: the client sees the socket open, then cut off.
    transport.uncork();
    socket.terminate();
    return;
  }
  let setUp = false;
  socket.on('error', ignore); // a protocol error (oversized frame, bad opcode) closes the socket; nothing else to do
  // A pong is activity too: clients that answer pings (every browser does) but never send a frame stay active.
  socket.on('pong', () => {
    connection.answeredPing = true;
    options.touch(connection);
  });
  socket.on('message', (raw, isBinary) => admit(connection, consumer, raw, isBinary));
  socket.on('close', code => {
    release();
    connection.markClosed();
    if (!setUp) return;
    lifecycle.close(connection).catch(error => logger.error('closing a socket failed', error));
    consumer.disconnect(code).catch(error => logger.error('disconnect() failed', error));
  });
  connection.enqueue(async () => {
    try {
      let allowed = false;
      try {
        allowed = (await consumer.connect()) !== false;
      } catch (error) {
        logger.error('connect() failed', error);
      }
      if (!allowed) return connection.close(WS_CODES.authenticationFailed, 'Authentication failed');
      if (!connection.open) return;
      setUp = true;
      try {
        await lifecycle.open(connection);
      } catch (error) {
        logger.error('opening a socket failed', error);
        connection.close(1011, 'Internal server error');
      }
    } finally {
      transport.uncork();
    }
  });
}

/** Answers an upgrade with an HTTP error (JSON, like the REST API's) and closes the connection. */
function refuse(socket: Duplex, status: number, code: string, message: string): void {
  const body = JSON.stringify({ error: { code, message } });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
