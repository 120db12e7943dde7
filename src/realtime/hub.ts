/**
 * The realtime hub of one process: its sockets, the channel layer that joins it to the other
 * processes, presence, sessions, and the timers that keep them honest (ping/pong, expired
 * sessions, presence announcements, a periodic re-read of the event log).
 */
import type { MikroORM } from '@mikro-orm/core';
import type { EventHandler } from '../engine/event-handler.js';
import type { ActionResult } from '../engine/events.js';
import type { ChatSettings } from '../settings/types.js';
import type { ChannelLayer, Envelope, Origin } from './channel-layer.js';
import type { ChatConnection } from './connection.js';
import type { EventMapperHandler } from './event-mapper.js';
import { LocalSockets } from './local-sockets.js';
import { PresenceTracker, type PresenceFlip } from './presence.js';
import { eventFrameText, WS_CODES } from './protocol.js';
import { RoomLogReader } from './room-log-reader.js';
import { SessionStore } from './session-store.js';
import { UserRooms } from './user-rooms.js';

/** Timings of the hub, in ms. */
export interface HubTimings {
  /** Ping every socket this often; one that missed the previous pong is cut off (and goes offline). */
  readonly pingIntervalMs: number;
  /** Announce this node's online users this often; another node's list expires after three times this. */
  readonly presenceIntervalMs: number;
  /** Re-read the latest number of every room with a socket here this often (0: never), to catch anything lost. */
  readonly resyncIntervalMs: number;
}

/** Each ping interval is cut into this many ticks, each pinging its share of the sockets. */
const PING_SLICES = 10;

export interface HubOptions extends HubTimings {
  readonly orm: MikroORM;
  readonly settings: ChatSettings;
  readonly engine: EventHandler;
  readonly layer: ChannelLayer;
  readonly handlers: Map<string, EventMapperHandler>;
}

export class RealtimeHub {
  readonly nodeId: string;
  readonly sockets = new LocalSockets();
  readonly presence: PresenceTracker;
  readonly sessions: SessionStore;
  readonly log: RoomLogReader;
  private readonly userRooms: UserRooms;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly closing = new Set<Promise<void>>();
  /** The sockets still to ping in this round. */
  /** Each socket has a fixed tick of the ping interval (its slot), so it is pinged every interval exactly. */
  private readonly pingSlots: Set<ChatConnection>[] = Array.from({ length: PING_SLICES }, () => new Set());
  private readonly slotOf = new WeakMap<ChatConnection, number>();
  private nextSlot = 0;
  private pingTick = 0;
  /** How long a lease (and a node's announced list) lasts: three presence intervals. */
  private readonly leaseMs: number;
  private leaseWork: Promise<void> | undefined;
  private leaseRenewed = false;
  /** Renewals left that write back this node's session rows (after its lease had lapsed). */
  private restoring = 0;

  constructor(private readonly options: HubOptions) {
    this.nodeId = options.layer.nodeId;
    this.leaseMs = options.presenceIntervalMs * 3;
    this.presence = new PresenceTracker(this.nodeId, this.leaseMs, flip => this.announce(flip));
    this.sessions = new SessionStore(options.orm);
    this.userRooms = new UserRooms(options.orm);
    this.log = new RoomLogReader(options.orm, options.settings.eventRetention, ids => options.engine.renderLogged(ids));
  }

  async start(): Promise<void> {
    const { layer } = this.options;
    layer.onResync(() => this.resync());
    await layer.start(message => this.receive(message));
    const thresholdMs = this.options.settings.inactivityThreshold * 1000;
    // Pings go out in tenths of the interval, so ten thousand sockets never block the loop at once.
    this.every(this.options.pingIntervalMs / PING_SLICES, () => this.ping());
    this.every(Math.min(5000, thresholdMs / 4), () => this.checkSessions(thresholdMs));
    await this.keepLease();
    this.every(this.options.presenceIntervalMs, () => {
      layer.publish({ kind: 'node', users: this.presence.localUsers(), ttlMs: this.leaseMs });
      this.presence.sweep();
      void this.keepLease();
    });
    if (this.options.resyncIntervalMs > 0) this.every(this.options.resyncIntervalMs, () => this.resync());
  }

  /** The handler of an event type, if one is mapped. */
  handlerFor(eventType: string): EventMapperHandler | undefined {
    return this.options.handlers.get(eventType);
  }

  /** Delivers an outcome on every node (`origin`: the socket whose request it answers). */
  publish(outcome: ActionResult, origin?: Origin): void {
    if (outcome.events.length === 0 && outcome.groups.length === 0) {
      // Nothing for the other nodes; the asker still gets its `ack`.
      if (origin) this.sockets.deliver([], [], origin, this.nodeId);
      return;
    }
    this.options.layer.publish({ kind: 'outcome', events: outcome.events, groups: outcome.groups, ...(origin ? { origin } : {}) });
  }

  /** The client was active: its session's `lastSeen` moves on. */
  touch(connection: ChatConnection): void {
    connection.lastActivity = Date.now();
    if (connection.sessionId !== undefined) this.sessions.touch(connection.sessionId);
  }

  /**
   * Brings a new socket in: its rooms' groups (positioned at each log's latest, or held for a
   * resume), its session row, then `chat.notifications` as its first frame.
   */
  async open(connection: ChatConnection): Promise<void> {
    const { orm, settings, engine } = this.options;
    const user = connection.user;
    const first = this.sockets.add(connection);
    const slot = this.nextSlot++ % PING_SLICES;
    this.slotOf.set(connection, slot);
    this.pingSlots[slot]!.add(connection);
    // The row is the socket's from the moment it is written: heartbeats during set-up refresh it, a close during set-up removes it.
    const session = (connection.session = this.sessions.open(user, `${this.nodeId}:${connection.id}`).then(id => (connection.sessionId = id)));
    const [rooms, , notifications] = await Promise.all([
      this.userRooms.of(user.id),
      session,
      settings.enableNotification ? engine.pendingNotifications(user) : undefined,
    ]);
    if (!connection.open) return;
    for (const roomId of rooms) this.sockets.join(connection, roomId, null)?.pump();
    connection.start(notifications ? eventFrameText({ eventType: 'chat.notifications', data: notifications.result }) : undefined);
    if (first) this.options.layer.publish({ kind: 'presence', userId: user.id, username: user.username, online: true, rooms: [...connection.cursors.keys()], at: new Date().toISOString() });
  }

  /** A socket closed: forget it, its session, and (its user's last here) its presence. */
  close(connection: ChatConnection): Promise<void> {
    const closing = this.forget(connection).finally(() => this.closing.delete(closing));
    this.closing.add(closing);
    return closing;
  }

  private async forget(connection: ChatConnection): Promise<void> {
    if (!this.sockets.byId.has(connection.id)) return;
    const rooms = [...connection.cursors.keys()];
    connection.closed();
    const last = this.sockets.remove(connection);
    this.pingSlots[this.slotOf.get(connection) ?? 0]!.delete(connection);
    try {
      const sessionId = connection.sessionId ?? (await connection.session?.catch(() => undefined));
      if (sessionId !== undefined) await this.sessions.close(sessionId);
    } finally {
      // Told once the session is gone; told even when the database is not there to say it.
      if (last && !this.sockets.byUser.has(connection.user.id)) {
        const user = connection.user;
        this.options.layer.publish({ kind: 'presence', userId: user.id, username: user.username, online: false, rooms, at: new Date().toISOString() });
      }
    }
  }

  /** Every socket re-reads its rooms' latest numbers and receives what it lacks. */
  resync(): void {
    for (const connection of this.sockets.byId.values()) for (const cursor of connection.cursors.values()) cursor.catchUp();
  }

  /** Stops the timers, closes every socket (1001) and leaves the layer. */
  async stop(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    const open = [...this.sockets.byId.values()];
    for (const connection of open) connection.drop(1001, 'Server shutting down');
    for (const connection of open) void this.close(connection);
    await Promise.all([...this.closing].map(closing => closing.catch(() => {})));
    await this.sessions.flush().catch(() => {});
    await this.leaseWork;
    await this.options.layer.leases?.release().catch(() => {});
    await this.options.layer.close();
  }

  private receive(message: Envelope): void {
    try {
      this.dispatch(message);
    } catch (error) {
      // Delivery must not fail the action that published (it is committed): sockets catch up from the log.
      console.error('realtime-chat-messaging: delivering an event failed:', error);
    }
  }

  private dispatch(message: Envelope): void {
    switch (message.kind) {
      case 'outcome':
        this.sockets.deliver(message.events, message.groups, message.origin, this.nodeId);
        break;
      case 'presence':
      case 'node':
        this.presence.apply(message);
        break;
      case 'resync':
        this.resync();
        break;
      case 'departed':
        this.presence.depart(message.departed);
        break;
    }
  }

  /** Tells the sockets here that share a room with the user that the user came online or went offline. */
  private announce(flip: PresenceFlip): void {
    const deliver = (rooms: readonly string[]) => {
      const data = { user_id: flip.userId, username: flip.username ?? null, status: flip.online ? 'online' : 'offline', last_seen: flip.at };
      const told = new Set<ChatConnection>();
      for (const roomId of rooms) {
        for (const connection of this.sockets.byRoom.get(roomId) ?? []) {
          if (!connection.presence || connection.user.id === flip.userId || told.has(connection)) continue;
          told.add(connection);
          connection.sendEvent({ eventType: 'presence.dispatch', data });
        }
      }
    };
    if (flip.rooms) deliver(flip.rooms);
    else this.userRooms.of(flip.userId).then(deliver, () => {});
  }

  private ping(): void {
    const slot = this.pingSlots[this.pingTick]!;
    this.pingTick = (this.pingTick + 1) % PING_SLICES;
    for (const connection of slot) {
      if (!connection.open) continue;
      if (!connection.alive) {
        connection.socket.terminate();
        continue;
      }
      connection.alive = false;
      try {
        connection.socket.ping();
      } catch {
        // Closing already.
      }
    }
  }

  /**
   * Renews this node's lease and claims the lapsed ones: for each, its sessions are swept and every
   * node drops its users (they go offline unless connected elsewhere). One renewal at a time.
   */
  private keepLease(): Promise<void> {
    const leases = this.options.layer.leases;
    if (!leases || this.leaseWork) return this.leaseWork ?? Promise.resolve();
    const work = async () => {
      const held = await leases.renew(this.leaseMs);
      // A lapse seen on a later renewal: this node was frozen, and may have been taken for dead.
      if (!held && this.leaseRenewed) this.restoring = 2;
      this.leaseRenewed = true;
      if (this.restoring > 0) {
        this.restoring--;
        await this.sessions.restore();
      }
      for (const departed of await leases.claimLapsed()) {
        await this.sessions.sweepNode(departed);
        this.options.layer.publish({ kind: 'departed', departed });
      }
    };
    this.leaseWork = work()
      .catch(error => console.error('realtime-chat-messaging: keeping the node lease failed:', error))
      .finally(() => (this.leaseWork = undefined));
    return this.leaseWork;
  }

  private checkSessions(thresholdMs: number): void {
    const now = Date.now();
    for (const connection of this.sockets.byId.values()) {
      if (now - connection.lastActivity > thresholdMs) connection.drop(WS_CODES.sessionExpired, 'Session expired: no heartbeat');
    }
    // Expired rows are swept even when writing the heartbeats failed.
    const report = (error: unknown) => console.error('realtime-chat-messaging: session upkeep failed:', error);
    this.sessions
      .flush()
      .catch(report)
      .then(async () => this.sessions.expire(thresholdMs / 1000, (await this.options.layer.leases?.live())?.filter(node => node !== this.nodeId)))
      .catch(report);
  }

  private every(ms: number, task: () => void): void {
    const timer = setInterval(task, ms);
    timer.unref();
    this.timers.push(timer);
  }
}
