/**
 * Presence: a user is online while any of their devices is connected to any node. Each node
 * announces its own users' first connection and last disconnection, and repeats its list now and
 * then; a node's list is dropped when its lease lapses (`depart`), or when it stops repeating it.
 */
import type { Envelope } from './channel-layer.js';

/** A user's presence as clients see it. */
export interface PresenceState {
  readonly user_id: string;
  readonly status: 'online' | 'offline';
  readonly last_seen: string | null;
}

/** A user came online or went offline (as this node sees the whole chat). */
export interface PresenceFlip {
  readonly userId: string;
  readonly username: string | undefined;
  readonly online: boolean;
  /** The user's rooms, when the announcement carried them. */
  readonly rooms: readonly string[] | undefined;
  readonly at: string;
}

export class PresenceTracker {
  private readonly nodes = new Map<string, { users: Set<string>; expires: number }>();
  private readonly lastSeen = new Map<string, string>();
  private readonly usernames = new Map<string, string>();

  constructor(
    private readonly nodeId: string,
    /** How long another node's list counts without news from it (ms). */
    private readonly ttlMs: number,
    private readonly flipped: (flip: PresenceFlip) => void,
  ) {}

  isOnline(userId: string): boolean {
    for (const node of this.nodes.values()) if (node.users.has(userId)) return true;
    return false;
  }

  state(userId: string): PresenceState {
    const online = this.isOnline(userId);
    return { user_id: userId, status: online ? 'online' : 'offline', last_seen: online ? new Date().toISOString() : (this.lastSeen.get(userId) ?? null) };
  }

  /** The users online on this node, for its periodic announcement. */
  localUsers(): string[] {
    return [...(this.nodes.get(this.nodeId)?.users ?? [])];
  }

  /** Applies a presence or node message from any node (this one's included). */
  apply(message: Envelope): void {
    if (message.kind === 'presence') {
      remember(this.usernames, message.userId, message.username);
      const users = this.node(message.node, message.node === this.nodeId ? undefined : this.ttlMs).users;
      const before = this.isOnline(message.userId);
      if (message.online) users.add(message.userId);
      else users.delete(message.userId);
      this.report(message.userId, before, message.rooms, message.at);
    } else if (message.kind === 'node' && message.node !== this.nodeId) {
      const known = this.nodes.get(message.node);
      const changed = new Set([...(known?.users ?? []), ...message.users]);
      const before = new Map([...changed].map(userId => [userId, this.isOnline(userId)]));
      this.nodes.set(message.node, { users: new Set(message.users), expires: Date.now() + message.ttlMs });
      const at = new Date().toISOString();
      for (const userId of changed) this.report(userId, before.get(userId)!, undefined, at);
    }
  }

  /** Drops the lists of nodes that stopped announcing. */
  sweep(now = Date.now()): void {
    for (const [nodeId, node] of this.nodes) if (nodeId !== this.nodeId && node.expires <= now) this.depart(nodeId, now);
  }

  /** Drops a node's list at once (its lease lapsed): its users not online elsewhere go offline. */
  depart(nodeId: string, now = Date.now()): void {
    const node = this.nodes.get(nodeId);
    if (!node || nodeId === this.nodeId) return;
    const before = new Map([...node.users].map(userId => [userId, this.isOnline(userId)]));
    this.nodes.delete(nodeId);
    const at = new Date(now).toISOString();
    for (const [userId, was] of before) this.report(userId, was, undefined, at);
  }

  private node(nodeId: string, ttlMs: number | undefined): { users: Set<string>; expires: number } {
    let node = this.nodes.get(nodeId);
    if (!node) this.nodes.set(nodeId, (node = { users: new Set(), expires: Infinity }));
    if (ttlMs !== undefined) node.expires = Date.now() + ttlMs;
    return node;
  }

  private report(userId: string, before: boolean, rooms: readonly string[] | undefined, at: string): void {
    const online = this.isOnline(userId);
    if (online === before) return;
    if (!online) remember(this.lastSeen, userId, at);
    this.flipped({ userId, username: this.usernames.get(userId), online, rooms, at });
  }
}

/** Users remembered (last seen, username), the longest unseen forgotten first. */
const REMEMBERED = 100_000;

function remember(map: Map<string, string>, key: string, value: string): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > REMEMBERED) map.delete(map.keys().next().value!);
}
