/**
 * The channel layer: how the server processes of one chat tell each other what happened. Every
 * process publishes each committed outcome once; every process receives all of them and delivers
 * to its own sockets. In-memory for one process, Redis pub/sub for several.
 */
import type { ChatEvent, GroupChange } from '../engine/events.js';
import type { NodeLeases } from './node-leases.js';

/** The socket that asked for an outcome, so its reply can carry the request's `id`. */
export interface Origin {
  readonly node: string;
  readonly connection: string;
  readonly id?: unknown;
}

/** What travels between processes. */
export type LayerMessage =
  /** A committed action: its events and the membership changes the room groups must follow. */
  | { readonly kind: 'outcome'; readonly events: readonly ChatEvent[]; readonly groups: readonly GroupChange[]; readonly origin?: Origin }
  /** A user came online (first device) or went offline (last device) on the sending node. */
  | {
      readonly kind: 'presence';
      readonly userId: string;
      readonly username: string;
      readonly online: boolean;
      readonly rooms: readonly string[];
      readonly at: string;
    }
  /** A node's users online, repeated so that a node that dies stops counting after `ttlMs`. */
  | { readonly kind: 'node'; readonly users: readonly string[]; readonly ttlMs: number }
  /** A node's lease lapsed (it died): its users count no more, its sessions are swept. */
  | { readonly kind: 'departed'; readonly departed: string }
  /** A node's publishes may have been lost (its connection to the layer dropped): re-check the logs. */
  | { readonly kind: 'resync' };

/** A received message, with the node that sent it. */
export type Envelope = LayerMessage & { readonly node: string };

/** The interface both layers implement. */
export interface ChannelLayer {
  /** This process's id among the nodes. */
  readonly nodeId: string;
  /** Starts receiving: `listener` gets every message of every node, this one's included (delivered at once, in order). */
  start(listener: (message: Envelope) => void): Promise<void>;
  /** Sends a message to every node. Never throws: a lost message is recovered through the event log. */
  publish(message: LayerMessage): void;
  /** `listener` runs when messages may have been missed (the layer reconnected): receivers re-read the event log. */
  onResync(listener: () => void): void;
  /**
   * The nodes' leases, when the layer can hold them (Redis can; one process in memory needs none):
   * with them a dead node's users go offline within one ping interval and its sessions are swept.
   */
  readonly leases?: NodeLeases;
  close(): Promise<void>;
}
