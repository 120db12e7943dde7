/**
 * The realtime hub of one process: its sockets in their rooms, and the fan-out of what any process
 * publishes to them through the channel layer (with a periodic re-read of the event log to catch
 * anything the layer lost). Presence messages it passes on to whoever listens for them.
 */
import type { ActionResult } from '../engine/events.js';
import type { ChatLogger } from '../logging/chat-logger.js';
import type { ChannelLayer, Envelope, Origin } from './channel-layer.js';
import type { ChatConnection } from './connection.js';
import { LocalSockets } from './local-sockets.js';
import type { RoomLogReader } from './room-log-reader.js';

/** What the hub is made with. */
export interface HubOptions {
  readonly layer: ChannelLayer;
  readonly log: RoomLogReader;
  /** Re-read the latest number of every room with a socket here this often (0: never). */
  readonly resyncIntervalMs: number;
  /** Where a failed delivery is reported. */
  readonly logger: ChatLogger;
}

export class RealtimeHub {
  readonly nodeId: string;
  readonly sockets = new LocalSockets();
  readonly log: RoomLogReader;
  private timer: NodeJS.Timeout | undefined;
  private presenceListener: ((message: Envelope) => void) | undefined;

  constructor(private readonly options: HubOptions) {
    this.nodeId = options.layer.nodeId;
    this.log = options.log;
  }

  /** Joins the layer; `presence` receives the presence messages of every process. */
  async start(presence: (message: Envelope) => void): Promise<void> {
    const { layer, resyncIntervalMs } = this.options;
    this.presenceListener = presence;
    layer.onResync(() => this.resync());
    await layer.start(message => this.receive(message));
    if (resyncIntervalMs > 0) {
      this.timer = setInterval(() => this.resync(), resyncIntervalMs);
      this.timer.unref();
    }
  }

  /** Delivers an outcome on every process (`origin`: the socket whose request it answers). */
  publish(outcome: ActionResult, origin?: Origin): void {
    if (outcome.events.length === 0 && outcome.groups.length === 0) {
      // Nothing for the other processes; the asker still gets its `ack`.
      if (origin) this.sockets.deliver([], [], origin, this.nodeId);
      return;
    }
    this.options.layer.publish({ kind: 'outcome', events: outcome.events, groups: outcome.groups, ...(origin ? { origin } : {}) });
  }

  /** Puts a socket that finished its set-up in its rooms' groups (at each log's latest, or held for a resume). */
  join(connection: ChatConnection, roomIds: readonly string[]): void {
    for (const roomId of roomIds) this.sockets.join(connection, roomId, null)?.pump();
  }

  /** Every socket re-reads its rooms' latest numbers and receives what it lacks. */
  resync(): void {
    for (const connection of this.sockets.byId.values()) for (const cursor of connection.cursors.values()) cursor.catchUp();
  }

  /** Stops the re-reads and leaves the layer. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.options.layer.close();
  }

  private receive(message: Envelope): void {
    try {
      if (message.kind === 'outcome') this.sockets.deliver(message.events, message.groups, message.origin, this.nodeId);
      else if (message.kind === 'resync') this.resync();
      else this.presenceListener?.(message);
    } catch (error) {
      // Delivery must not fail the action that published (it is committed): sockets catch up from the log.
      this.options.logger.error('delivering an event failed', error);
    }
  }
}
