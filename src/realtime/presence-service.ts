/**
 * Presence across the processes of a chat: this process announces its users' first and last
 * sockets and repeats its list, keeps its lease, claims the lapsed leases of dead processes (their
 * session rows swept, their users dropped everywhere), and tells the sockets here that asked for
 * presence (`?presence=1`) who came online or went offline in their rooms.
 */
import type { AbstractUser } from '../entities/user.js';
import type { ChatLogger } from '../logging/chat-logger.js';
import type { ChannelLayer, Envelope } from './channel-layer.js';
import type { ChatConnection } from './connection.js';
import type { LocalSockets } from './local-sockets.js';
import { PresenceTracker, type PresenceFlip, type PresenceState } from './presence.js';
import type { SessionStore } from './session-store.js';
import type { UserRooms } from './user-rooms.js';

/** What the presence of a process works with. */
export interface PresenceServiceOptions {
  readonly layer: ChannelLayer;
  readonly sockets: LocalSockets;
  readonly sessions: SessionStore;
  readonly userRooms: UserRooms;
  /** Lease renewal and list announcement interval (ms); a lease lasts three of them. */
  readonly intervalMs: number;
  /** Where a failure to keep the lease is reported. */
  readonly logger: ChatLogger;
}

export class PresenceService {
  readonly tracker: PresenceTracker;
  private readonly nodeId: string;
  /** How long a lease (and a process's announced list) lasts: three intervals. */
  private readonly leaseMs: number;
  private timer: NodeJS.Timeout | undefined;
  private leaseWork: Promise<void> | undefined;
  private leaseRenewed = false;
  /** Renewals left that write back this process's session rows (after its lease had lapsed). */
  private restoring = 0;

  constructor(private readonly options: PresenceServiceOptions) {
    this.nodeId = options.layer.nodeId;
    this.leaseMs = options.intervalMs * 3;
    this.tracker = new PresenceTracker(this.nodeId, this.leaseMs, flip => this.announce(flip));
  }

  /** Takes the lease, then renews it and repeats this process's list every interval. */
  async start(): Promise<void> {
    await this.keepLease();
    this.timer ??= setInterval(() => {
      this.options.layer.publish({ kind: 'node', users: this.tracker.localUsers(), ttlMs: this.leaseMs });
      this.tracker.sweep();
      void this.keepLease();
    }, this.options.intervalMs);
    this.timer.unref();
  }

  /** Stops, and gives the lease up (a clean shutdown leaves nothing to sweep). */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.leaseWork;
    await this.options.layer.leases?.release().catch(() => {});
  }

  /** A user's presence as clients see it. */
  state(userId: string): PresenceState {
    return this.tracker.state(userId);
  }

  /** The user's first socket here is open, in these rooms. */
  online(connection: ChatConnection): void {
    const user = connection.user;
    this.options.layer.publish({ kind: 'presence', userId: user.id, username: user.username, online: true, rooms: [...connection.cursors.keys()], at: new Date().toISOString() });
  }

  /** The user's last socket here closed; it was in these rooms. */
  offline(user: AbstractUser, rooms: readonly string[]): void {
    this.options.layer.publish({ kind: 'presence', userId: user.id, username: user.username, online: false, rooms, at: new Date().toISOString() });
  }

  /** Applies a presence message of any process (this one's included). */
  apply(message: Envelope): void {
    if (message.kind === 'departed') this.tracker.depart(message.departed);
    else this.tracker.apply(message);
  }

  /**
   * Renews this process's lease and claims the lapsed ones: for each, its sessions are swept and
   * every process drops its users (offline unless connected elsewhere). One renewal at a time.
   */
  private keepLease(): Promise<void> {
    const leases = this.options.layer.leases;
    if (!leases || this.leaseWork) return this.leaseWork ?? Promise.resolve();
    const work = async () => {
      const held = await leases.renew(this.leaseMs);
      // A lapse seen on a later renewal: this process was frozen, and may have been taken for dead.
      if (!held && this.leaseRenewed) this.restoring = 2;
      this.leaseRenewed = true;
      if (this.restoring > 0) {
        this.restoring--;
        await this.options.sessions.restore();
      }
      for (const departed of await leases.claimLapsed()) {
        await this.options.sessions.sweepNode(departed);
        this.options.layer.publish({ kind: 'departed', departed });
      }
    };
    this.leaseWork = work()
      .catch(error => this.options.logger.error('keeping the process lease failed', error))
      .finally(() => (this.leaseWork = undefined));
    return this.leaseWork;
  }

  /** Tells the sockets here that share a room with the user, and asked for presence, that it flipped. */
  private announce(flip: PresenceFlip): void {
    const deliver = (rooms: readonly string[]) => {
      const data = { user_id: flip.userId, username: flip.username ?? null, status: flip.online ? 'online' : 'offline', last_seen: flip.at };
      const told = new Set<ChatConnection>();
      for (const roomId of rooms) {
        for (const connection of this.options.sockets.byRoom.get(roomId) ?? []) {
          if (!connection.presence || connection.user.id === flip.userId || told.has(connection)) continue;
          told.add(connection);
          connection.sendEvent({ eventType: 'presence.dispatch', data });
        }
      }
    };
    if (flip.rooms) deliver(flip.rooms);
    else this.options.userRooms.of(flip.userId).then(deliver, () => {});
  }
}
