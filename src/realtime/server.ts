/**
 * `attachChatWebSocket`: the WebSocket half of the package on the application's own HTTP server,
 * at the `websocketPath` setting. It only puts the parts together: options (`options.ts`), the
 * upgrade (`upgrade.ts`), frame admission (`frame-admission.ts`), the handler table (the consumer's
 * context), the hub (rooms and fan-out), sessions, presence and pings, each in its own module.
 */
import type { Server } from 'node:http';
import { lazyRequire } from '../orm/lazy-require.js';

const ws = lazyRequire<typeof import('ws')>('ws');
import { createChatEngine } from '../engine/chat-engine.js';
import type { ActionResult } from '../engine/events.js';
import { configuredClass } from '../settings/configured-class.js';
import { ChatConsumer } from './consumer.js';
import { resolveEventMap } from './event-mapper.js';
import { ExceptionHandler } from './exception-handler.js';
import { frameAdmission } from './frame-admission.js';
import { RealtimeHub } from './hub.js';
import { normalizeOptions, type ChatWebSocketOptions } from './options.js';
import { PingScheduler } from './ping-scheduler.js';
import { PresenceService } from './presence-service.js';
import { RoomLogReader } from './room-log-reader.js';
import type { SessionStore } from './session-store.js';
import { SessionUpkeep } from './session-upkeep.js';
import { SocketLifecycle } from './socket-lifecycle.js';
import { upgradeHandler } from './upgrade.js';
import { UserRooms } from './user-rooms.js';
import { ConnectReads } from './connect-reads.js';

export type { ChatWebSocketOptions } from './options.js';

/** The running WebSocket server. */
export interface ChatWebSocket {
  readonly hub: RealtimeHub;
  /** The session rows of this process's sockets. */
  readonly sessions: SessionStore;
  /** Delivers an outcome of a REST call to the sockets: pass it as `chatApi`'s `publish`. */
  publish(outcome: ActionResult): void;
  /** Sockets open on this process. */
  connectionCount(): number;
  /**
   * Closes every socket (1001), waits for their frame tasks, stops the timers (waiting for a sweep
   * or lease renewal under way), gives up the lease and leaves the layer: once it resolves, nothing
   * of the server reads or writes the database. The HTTP server is left running.
   */
  close(): Promise<void>;
}

/** Attaches the chat's WebSocket server to `server` and starts its hub (and channel layer). */
export async function attachChatWebSocket(server: Server, input: ChatWebSocketOptions): Promise<ChatWebSocket> {
  const options = normalizeOptions(input);
  const { orm, settings, layer, logger } = options;
  const Consumer = configuredClass(settings.chatConsumerClass, ChatConsumer, 'chatConsumerClass');
  const Exceptions = configuredClass(settings.exceptionHandlerClass, ExceptionHandler, 'exceptionHandlerClass');
  const handlers = resolveEventMap(settings.eventMapper, Consumer);
  const engine = options.engine ?? createChatEngine({ orm, settings, notifier: options.notifier, logger });

  const log = new RoomLogReader(orm, settings.eventRetention, ids => engine.renderLogged(ids), logger);
  const hub = new RealtimeHub({ layer, log, resyncIntervalMs: options.resyncIntervalMs, logger });
  const userRooms = new UserRooms(orm);
  const sessions = new SessionUpkeep(orm, hub.sockets, hub.nodeId, options.inactivityMs, async () => layer.leases?.live(), logger);
  const presence = new PresenceService({ layer, sockets: hub.sockets, sessions: sessions.store, userRooms, intervalMs: options.presenceIntervalMs, logger });
  const pings = new PingScheduler(options.pingIntervalMs);
  const lifecycle = new SocketLifecycle({ hub, sessions, presence, pings, reads: new ConnectReads(orm, engine, settings, userRooms) });

  await hub.start(message => presence.apply(message));
  await presence.start();
  sessions.start();
  pings.start();

  const wss = new (ws().WebSocketServer)({
    noServer: true,
    maxPayload: options.maxPayload,
    perMessageDeflate: false,
    // A token sent as a subprotocol must be echoed, or browsers drop the connection: prefer another entry.
    handleProtocols: protocols => [...protocols].find(p => !p.includes('.')) ?? [...protocols][0] ?? false,
  });
  const touch = sessions.touch.bind(sessions);
  const onUpgrade = upgradeHandler({
    server,
    wss,
    path: options.path,
    allowedOrigins: options.allowedOrigins,
    authenticate: options.authenticate,
    maxSocketsPerUser: options.maxSocketsPerUser,
    closeOnAuthFailure: options.closeOnAuthFailure,
    resumeHoldMs: options.resumeHoldMs,
    limits: { maxBufferedBytes: options.maxBufferedBytes, rateLimit: options.rateLimit, maxQueuedFrames: options.maxQueuedFrames },
    log,
    consumer: ({ connection, request }) => new Consumer({ connection, request, engine, settings, hub, handlers, presence, sessions }),
    admit: frameAdmission({ exceptions: new Exceptions(logger), perSecond: options.rateLimit.perSecond, touch, logger }),
    lifecycle,
    touch,
    logger,
  });
  server.on('upgrade', onUpgrade);

  return {
    hub,
    sessions: sessions.store,
    publish: outcome => hub.publish(outcome),
    connectionCount: () => hub.sockets.byId.size,
    async close() {
      server.off('upgrade', onUpgrade);
      pings.stop();
      await lifecycle.closeAll();
      await sessions.stop();
      await presence.stop();
      await hub.stop();
      // Log reads under way (for sockets that closed just now or before) end before the caller closes the database.
      await log.settled();
      for (const client of wss.clients) client.terminate();
      await new Promise<void>(resolve => wss.close(() => resolve()));
    },
  };
}
