/**
 * One socket: what it is sent (in order, through its room cursors, never past its buffer limit),
 * what it may send (a rate limit, one frame at a time), and its liveness.
 */
import { randomUUID } from 'node:crypto';
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import type { AbstractUser } from '../entities/user.js';
import { consoleLogger, type ChatLogger } from '../logging/chat-logger.js';
import { eventFrameText, WS_CODES, type OutgoingEvent } from './protocol.js';
import { TokenBucket, type RateLimit } from '../limits/token-bucket.js';
import { RoomCursor, type CursorOwner, type NumberedEvent } from './room-cursor.js';
import type { RoomLogReader } from './room-log-reader.js';
import { textFrame } from './text-frame.js';
import { batchWrites, type BatchedTransport } from './write-batching.js';
import { jsonText } from '../serializers/json-text.js';

/** Limits that protect the server from one socket. */
export interface ConnectionLimits {
  /** Bytes waiting to be sent past which the socket is closed as too slow (4009). */
  readonly maxBufferedBytes: number;
  /** Frames a socket may send; past it, error 4029, and a socket that keeps going is closed (1008). */
  readonly rateLimit: RateLimit;
  /** Frames waiting to be handled past which new ones are refused (4029). */
  readonly maxQueuedFrames: number;
}

/** What `admit` decides about an incoming frame. */
export type Admission = 'accept' | 'limited' | 'flood';

/** Where a connection is in its life; it only moves forward. */
export enum ConnectionState {
  /** Set-up under way (rooms, session, first frame): frames for it wait. */
  CONNECTING = 0,
  /** Set up: frames go out as they come. */
  OPEN = 1,
  /** The close frame went out; nothing more is sent. */
  CLOSING = 2,
  /** The socket closed. */
  CLOSED = 3,
}

/**
 * A random id as one flat string. `randomUUID` builds its result by concatenation, which V8 keeps
 * as a tree of its parts (about 450 bytes for 36 characters, held as long as the socket is);
 * copying it through a buffer leaves one 36-byte string.
 */
function flatUuid(): string {
  return Buffer.from(randomUUID(), 'latin1').toString('latin1');
}

/** The cursors of a socket in no room (most sockets of a big server hold none of their own). */
const NO_CURSORS: ReadonlyMap<string, RoomCursor> = new Map();

export class ChatConnection implements CursorOwner, BatchedTransport {
  readonly id = flatUuid();
  /** Its cursor in each room it is in, once it is in one. */
  private roomCursors: Map<string, RoomCursor> | undefined;
  /** When the client last sent a frame or answered a ping (ms); sessions idle past the inactivity threshold expire. */
  lastActivity = Date.now();
  /** Where the connection is in its life. */
  state = ConnectionState.CONNECTING;
  /** Cleared when a ping goes out, set by the pong; a socket that did not answer the last ping is dead. */
  answeredPing = true;
  /** The session row of this socket, once stored. */
  sessionId: number | undefined;
  /** The session row being stored (the socket's from the start of its set-up). */
  session: Promise<number> | undefined;
  /** While true, room events wait for `session.resume` (the client connected with `?resume=1`). */
  holding: boolean;
  /** Whether the client asked for presence events (`?presence=1`): old clients get none. */
  presence = false;
  /** Rooms told to refetch during a resume (the resume's reply lists them). */
  refetched: string[] | undefined;
  /** Frames sent during set-up, once there is one: they follow the first frame. */
  private early: (string | Buffer)[] | undefined;
  private originIds: Map<string, unknown> | undefined;
  /** Made by the first frame the client sends (an idle socket never needs one). */
  private bucket: TokenBucket | undefined;
  private refusals = 0;
  private queued = 0;
  /** The frame tasks waiting or running, when there are any (an idle socket keeps no settled promise). */
  private chain: Promise<void> | undefined;
  private holdTimer: NodeJS.Timeout | undefined;
  private readonly holdMs: number;
  /**
   * The socket's transport (the upgraded TCP or TLS stream), when known: frames written to it in
   * one turn of the event loop go out together (see write-batching.ts).
   */
  transport: Duplex | undefined;
  /** Whether the transport is corked until the end of this turn. */
  corked = false;
  /** Bytes waiting to be sent when this turn's first frame was written. */
  private backlog = 0;

  constructor(
    readonly socket: WebSocket,
    readonly user: AbstractUser,
    readonly log: RoomLogReader,
    private readonly limits: ConnectionLimits,
    /** Hold room events until the client resumes (it connected with `?resume=1`), at most this long (ms); 0: no hold. */
    holdMs: number,
    /** Where a frame task that failed anyway is reported. */
    private readonly logger: ChatLogger = consoleLogger,
  ) {
    this.holding = holdMs > 0;
    this.holdMs = holdMs;
  }

  /** Its cursor in each room it is in (`LocalSockets` adds and removes them). */
  get cursors(): ReadonlyMap<string, RoomCursor> {
    return this.roomCursors ?? NO_CURSORS;
  }

  /** Puts the cursor of a room the socket joins. */
  addCursor(roomId: string, cursor: RoomCursor): void {
    (this.roomCursors ??= new Map()).set(roomId, cursor);
  }

  /** Forgets the cursor of a room the socket left. */
  removeCursor(roomId: string): void {
    this.roomCursors?.delete(roomId);
  }

  /** Until it starts closing: events may still be sent. */
  get open(): boolean {
    return this.state <= ConnectionState.OPEN;
  }

  /** Sends a frame object. */
  sendFrame(frame: object): void {
    this.sendText(jsonText(frame));
  }

  /** Sends an event frame, with the request `id` when it answers one. */
  sendEvent(event: OutgoingEvent, id?: unknown): void {
    this.sendText(eventFrameText(event, id));
  }

  /** A numbered room event, from a cursor. */
  send(event: NumberedEvent): void {
    let id: unknown;
    if (this.originIds) {
      const key = `${event.roomId}:${event.seq}`;
      id = this.originIds.get(key);
      if (id !== undefined) this.originIds.delete(key);
    }
    this.sendEvent(event, id);
  }

  /** The room event `roomId:seq` answers this socket's request `id`. */
  expectReply(roomId: string, seq: number, id: unknown): void {
    this.originIds ??= new Map();
    if (this.originIds.size < 1000) this.originIds.set(`${roomId}:${seq}`, id);
  }

  refetch(roomId: string, after: number, until: number): void {
    this.refetched?.push(roomId);
    this.sendEvent({ eventType: 'resume.refetch', data: { room_id: roomId, after_seq: after, until_seq: until } });
  }

  /** Sends the first frame (`chat.notifications`, if any), then whatever waited for it: the connection is open. */
  start(first?: string | Buffer): void {
    if (this.state !== ConnectionState.CONNECTING) return;
    // The hold counts from here: a set-up slowed by a reconnect storm does not eat into it.
    if (this.holding) {
      this.holdTimer = setTimeout(() => this.release(), this.holdMs);
      this.holdTimer.unref();
    }
    if (first !== undefined) this.write(first);
    this.state = ConnectionState.OPEN;
    const early = this.early;
    this.early = undefined;
    for (const text of early ?? []) this.write(text);
  }

  /** Ends the hold: room events flow. */
  release(): void {
    clearTimeout(this.holdTimer);
    if (!this.holding) return;
    this.holding = false;
    for (const cursor of this.cursors.values()) cursor.pump();
  }

  /** Rate limiting of incoming frames. */
  admit(): Admission {
    if ((this.bucket ??= new TokenBucket(this.limits.rateLimit)).take() && this.queued < this.limits.maxQueuedFrames) {
      this.refusals = 0;
      return 'accept';
    }
    this.refusals++;
    return this.refusals > this.limits.rateLimit.burst ? 'flood' : 'limited';
  }

  /**
   * Runs frame handlers one at a time, in the order the frames came. A task that fails anyway
   * closes this socket (1011); the chain goes on and never rejects.
   */
  enqueue(task: () => Promise<void>): void {
    this.queued++;
    const chain: Promise<void> = (this.chain ?? Promise.resolve())
      .then(task)
      .catch(error => {
        this.logger.error('a socket task failed', error);
        this.close(1011, 'Internal server error');
      })
      .finally(() => {
        this.queued--;
        if (this.chain === chain) this.chain = undefined;
      });
    this.chain = chain;
  }

  /** Resolves once no frame task is waiting or running (a closed socket takes no new ones). */
  async idle(): Promise<void> {
    for (let chain = this.chain; ; chain = this.chain) {
      await chain;
      if (chain === this.chain) return;
    }
  }

  /**
   * Closes the socket with a code; a socket that does not finish closing is cut off. Idempotent:
   * only the first call of a connection's life sends a close frame.
   */
  close(code: number, reason: string): void {
    if (this.state >= ConnectionState.CLOSING) return;
    this.state = ConnectionState.CLOSING;
    this.stopTimers();
    try {
      this.socket.close(code, reason);
    } catch {
      this.socket.terminate();
      return;
    }
    setTimeout(() => this.socket.terminate(), 2000).unref();
  }

  /** Same as `close` (its former name). */
  drop(code: number, reason: string): void {
    this.close(code, reason);
  }

  /** The socket closed (whoever closed it): nothing more is sent. */
  markClosed(): void {
    this.state = ConnectionState.CLOSED;
    this.stopTimers();
  }

  /** Cuts the socket off at once (it stopped answering pings). */
  terminate(): void {
    this.state = Math.max(this.state, ConnectionState.CLOSING);
    this.stopTimers();
    this.socket.terminate();
  }

  private stopTimers(): void {
    clearTimeout(this.holdTimer);
    this.early = undefined;
  }

  private sendText(text: string | Buffer): void {
    if (this.state === ConnectionState.CONNECTING) (this.early ??= []).push(text);
    else if (this.state === ConnectionState.OPEN) this.write(text);
  }

  private write(text: string | Buffer): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    // A slow client is one whose frames of earlier turns still wait: the frames of this turn wait
    // corked until it ends (write-batching.ts) and say nothing about the client yet.
    if (!this.corked) {
      this.backlog = this.socket.bufferedAmount;
      batchWrites(this);
    }
    if (this.backlog > this.limits.maxBufferedBytes) {
      this.close(WS_CODES.slowConsumer, 'Too slow: the send buffer is full');
      return;
    }
    // A text frame. An encoded payload is framed once for every socket it goes to and written to
    // the transport as it is (ws's sender would frame it again for each); the writes of ws's own
    // frames (pings, close) and these go out in call order, each frame whole.
    if (this.transport && typeof text !== 'string') this.transport.write(textFrame(text));
    else this.socket.send(text, { binary: false });
  }
}
