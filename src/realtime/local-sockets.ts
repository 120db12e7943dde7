/**
 * The sockets of this process, by user and by room (the original's `user-{id}` and `group-{room}`
 * groups), and the delivery of one published outcome to them.
 */
import type { ChatEvent, GroupChange } from '../engine/events.js';
import type { Origin } from './channel-layer.js';
import type { ChatConnection } from './connection.js';
import { RoomCursor } from './room-cursor.js';

const NONE: readonly ChatConnection[] = [];

export class LocalSockets {
  readonly byId = new Map<string, ChatConnection>();
  /** A user's socket, or their sockets when they have several (most users have one: a set each would be ~200 bytes more per socket). */
  private readonly byUser = new Map<string, ChatConnection | Set<ChatConnection>>();
  readonly byRoom = new Map<string, Set<ChatConnection>>();

  /** Registers a socket; true when it is its user's first here. */
  add(connection: ChatConnection): boolean {
    this.byId.set(connection.id, connection);
    const userId = connection.user.id;
    const sockets = this.byUser.get(userId);
    if (sockets === undefined) this.byUser.set(userId, connection);
    else if (sockets instanceof Set) sockets.add(connection);
    else if (sockets !== connection) this.byUser.set(userId, new Set([sockets, connection]));
    return sockets === undefined;
  }

  /** Forgets a socket; true when it was its user's last here. */
  remove(connection: ChatConnection): boolean {
    if (!this.byId.delete(connection.id)) return false;
    for (const roomId of connection.cursors.keys()) this.leave(connection, roomId);
    const userId = connection.user.id;
    const sockets = this.byUser.get(userId);
    if (sockets instanceof Set) {
      sockets.delete(connection);
      if (sockets.size === 1) this.byUser.set(userId, sockets.values().next().value!);
      return false;
    }
    if (sockets !== connection) return false;
    this.byUser.delete(userId);
    return true;
  }

  /** The sockets of a user on this process. */
  ofUser(userId: string): Iterable<ChatConnection> {
    const sockets = this.byUser.get(userId);
    return sockets === undefined ? NONE : sockets instanceof Set ? sockets : [sockets];
  }

  /** Whether a user has a socket on this process. */
  hasUser(userId: string): boolean {
    return this.byUser.has(userId);
  }

  /** Puts a socket in a room's group, at `delivered` (null: at the log's latest); an existing cursor is kept. */
  join(connection: ChatConnection, roomId: string, delivered: number | null): RoomCursor | undefined {
    if (!this.byId.has(connection.id) || connection.cursors.has(roomId)) return undefined;
    const cursor = new RoomCursor(connection, roomId, delivered);
    connection.addCursor(roomId, cursor);
    let sockets = this.byRoom.get(roomId);
    if (!sockets) this.byRoom.set(roomId, (sockets = new Set()));
    sockets.add(connection);
    return cursor;
  }

  leave(connection: ChatConnection, roomId: string): void {
    // Stopped, not just forgotten: a log read under way must not deliver the room's later events.
    connection.cursors.get(roomId)?.stop();
    connection.removeCursor(roomId);
    const sockets = this.byRoom.get(roomId);
    sockets?.delete(connection);
    if (sockets && sockets.size === 0) this.byRoom.delete(roomId);
  }

  /**
   * Delivers an outcome: membership changes first (a new member receives the event that added
   * it, a removed one no longer hears the room), then each event to its audience. The socket that
   * asked gets the request `id` on its frames, or an `ack` frame when none of them reach it.
   */
  deliver(events: readonly ChatEvent[], groups: readonly GroupChange[], origin: Origin | undefined, nodeId: string): void {
    const asker = origin && origin.node === nodeId ? this.byId.get(origin.connection) : undefined;
    const id = asker ? origin!.id : undefined;
    const joined = this.applyGroups(events, groups);
    let answered = false;
    for (const event of events) {
      if ('users' in event.audience) {
        if (event.audience.askerOnly) {
          // A reply: the asking socket only (when it is on this node and still open).
          if (asker && event.audience.users.includes(asker.user.id)) {
            asker.sendEvent(event, id);
            answered = true;
          }
          continue;
        }
        for (const userId of event.audience.users) {
          for (const socket of this.ofUser(userId)) {
            socket.sendEvent(event, socket === asker ? id : undefined);
            if (socket === asker) answered = true;
          }
        }
        continue;
      }
      const roomId = event.audience.room;
      const sockets = this.byRoom.get(roomId);
      if (!sockets) continue;
      if (event.seq === undefined) {
        // Not logged (typing): as it comes, with its room but no number.
        const shown = { eventType: event.eventType, data: event.data, roomId };
        for (const socket of sockets) socket.sendEvent(shown, socket === asker ? id : undefined);
        if (asker && sockets.has(asker)) answered = true;
        continue;
      }
      const numbered = { roomId, seq: event.seq, eventType: event.eventType, data: event.data };
      if (asker && sockets.has(asker)) {
        answered = true;
        if (id !== undefined) asker.expectReply(roomId, event.seq, id);
      }
      for (const socket of sockets) socket.cursors.get(roomId)?.offer(numbered);
    }
    for (const cursor of joined) cursor.catchUp();
    if (asker && id !== undefined && !answered) asker.sendFrame({ type: 'ack', id });
  }

  private applyGroups(events: readonly ChatEvent[], groups: readonly GroupChange[]): RoomCursor[] {
    const joined: RoomCursor[] = [];
    for (const change of groups) {
      const first = events.find(e => e.seq !== undefined && 'room' in e.audience && e.audience.room === change.roomId);
      for (const userId of change.join ?? []) {
        for (const socket of this.ofUser(userId)) {
          const cursor = this.join(socket, change.roomId, first ? first.seq! - 1 : null);
          if (cursor) joined.push(cursor);
        }
      }
      for (const userId of change.leave ?? []) for (const socket of this.ofUser(userId)) this.leave(socket, change.roomId);
    }
    return joined;
  }
}
