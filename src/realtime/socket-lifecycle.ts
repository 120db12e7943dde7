/**
 * A socket's way through this process once its user is accepted: set up (its session row, its
 * rooms, its pending notifications as the first frame, pings, presence) and, when it closes,
 * taken out of all of it again. Every part lives in its own module; this is the order they go in.
 */
import type { ChatConnection } from './connection.js';
import type { RealtimeHub } from './hub.js';
import type { ConnectReads } from './connect-reads.js';
import type { PingScheduler } from './ping-scheduler.js';
import type { PresenceService } from './presence-service.js';
import { eventFrameText } from './protocol.js';
import type { SessionUpkeep } from './session-upkeep.js';

/** The parts a socket goes through. */
export interface SocketLifecycleParts {
  readonly hub: RealtimeHub;
  readonly sessions: SessionUpkeep;
  readonly presence: PresenceService;
  readonly pings: PingScheduler;
  /** A socket's rooms and pending notifications. */
  readonly reads: ConnectReads;
}

export class SocketLifecycle {
  private readonly closing = new Set<Promise<void>>();

  constructor(private readonly parts: SocketLifecycleParts) {}

  /**
   * Brings a new socket in: its session row, its rooms' groups (positioned at each log's latest,
   * or held for a resume), then `chat.notifications` as its first frame. Sockets set up together
   * share their statements (see `Batched`).
   */
  async open(connection: ChatConnection): Promise<void> {
    const { hub, sessions, presence, pings, reads } = this.parts;
    const user = connection.user;
    const first = hub.sockets.add(connection);
    pings.add(connection);
    const [{ rooms, notifications }] = await Promise.all([reads.of(user), sessions.open(connection)]);
    if (!connection.open) return;
    hub.join(connection, rooms);
    // Each room's position (its log's latest number) is known before the socket starts: otherwise
    // an event committed after the start, the client's own first action say, could be read as that
    // position and taken for the past, and never sent.
    await Promise.all([...connection.cursors.values()].map(cursor => cursor.idle()));
    if (!connection.open) return;
    connection.start(notifications ? eventFrameText({ eventType: 'chat.notifications', data: notifications }) : undefined);
    if (first) presence.online(connection);
  }

  /**
   * A socket closed: forget it, its session, and (its user's last here) its presence. Settles
   * once that is done and the socket's frame tasks under way have finished.
   */
  close(connection: ChatConnection): Promise<void> {
    const forgotten = this.forget(connection);
    const closing = Promise.all([forgotten.catch(() => {}), connection.idle()])
      .then(() => {})
      .finally(() => this.closing.delete(closing));
    this.closing.add(closing);
    return forgotten;
  }

  /**
   * Closes every socket (1001) and waits until each is forgotten and its frame tasks are done,
   * those of sockets that closed before included: the caller may close the database next.
   */
  async closeAll(): Promise<void> {
    const open = [...this.parts.hub.sockets.byId.values()];
    for (const connection of open) connection.close(1001, 'Server shutting down');
    for (const connection of open) void this.close(connection).catch(() => {});
    await Promise.all([...this.closing].map(closing => closing.catch(() => {})));
  }

  private async forget(connection: ChatConnection): Promise<void> {
    const { hub, sessions, presence, pings } = this.parts;
    if (!hub.sockets.byId.has(connection.id)) return;
    const rooms = [...connection.cursors.keys()];
    connection.markClosed();
    const last = hub.sockets.remove(connection);
    pings.remove(connection);
    try {
      await sessions.close(connection);
    } finally {
      // Told once the session is gone; told even when the database is not there to say it.
      if (last && !hub.sockets.hasUser(connection.user.id)) presence.offline(connection.user, rooms);
    }
  }
}
