/**
 * `ChatConsumer`: what a socket can ask for, one instance per socket, like the original's
 * Channels consumer. Each event type of the protocol maps to a method (see `event-mapper.ts`);
 * subclass it and name the subclass in `chatConsumerClass` to add event types (with
 * `eventMapper`), to hook `connect`/`disconnect`, or to change how one event is handled.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { EventHandler } from '../engine/event-handler.js';
import type { ActionResult, ChatEvent } from '../engine/events.js';
import type { Transaction } from '../engine/context.js';
import { isUuid, objectInput, requiredId } from '../engine/input.js';
import type { AbstractUser } from '../entities/user.js';
import { ValidationFailed } from '../errors/chat-error.js';
import { memberIds } from '../permissions/membership.js';
import type { ChatSettings } from '../settings/types.js';
import type { ChatConnection } from './connection.js';
import type { EventMapperHandler } from './event-mapper.js';
import type { RealtimeHub } from './hub.js';
import type { PresenceService } from './presence-service.js';
import type { SessionUpkeep } from './session-upkeep.js';
import { UnknownEventType, type ClientRequest } from './protocol.js';

/** What a consumer is made with. */
export interface ConsumerContext {
  readonly connection: ChatConnection;
  readonly engine: EventHandler;
  readonly settings: ChatSettings;
  /** Room membership and fan-out: where `publish` sends outcomes. */
  readonly hub: RealtimeHub;
  /** The event types this server handles, and their handlers (the default map with the `eventMapper` setting over it). */
  readonly handlers: ReadonlyMap<string, EventMapperHandler>;
  /** Who is online, across processes. */
  readonly presence: PresenceService;
  /** The sessions of this process's sockets (a heartbeat refreshes the socket's). */
  readonly sessions: SessionUpkeep;
  /** The HTTP request that opened the socket: its URL and headers (the request itself is not kept). */
  readonly request: UpgradeRequest;
}

/** What is kept of the upgrade request. */
export interface UpgradeRequest {
  /** The request's path and query, without its `token`. */
  readonly url: string;
  /** The request's headers, but the handshake's own (`connection`, `upgrade`, `sec-websocket-key`, `-version`, `-extensions`). */
  readonly headers: IncomingHttpHeaders;
  /** The client's address, read from the socket when first asked (a system call most consumers never need): ask while it is open. */
  readonly remoteAddress: string | undefined;
}

export class ChatConsumer {
  constructor(protected readonly context: ConsumerContext) {}

  /** The authenticated user of this socket. */
  get user(): AbstractUser {
    return this.context.connection.user;
  }

  /** The chat engine: every action of the package. */
  get engine(): EventHandler {
    return this.context.engine;
  }

  get connection(): ChatConnection {
    return this.context.connection;
  }

  /** Called once the socket is open; return false to refuse the user (the socket closes with 4001). */
  async connect(): Promise<boolean> {
    return true;
  }

  /** Called after the socket closed. */
  async disconnect(_code: number): Promise<void> {}

  /** Handles one client frame with the handler mapped to its event type. Throw to answer with an error frame. */
  async receive(request: ClientRequest): Promise<void> {
    const handler = this.context.handlers.get(request.eventType);
    if (!handler) throw new UnknownEventType(request.eventType);
    await handler(this, request.data, request);
  }

  // ---- what handlers answer with

  /** Sends an event to this socket only (with the request's `id`). */
  reply(eventType: string, data: unknown, request?: ClientRequest): void {
    this.connection.sendEvent({ eventType, data }, request?.id);
  }

  /** Sends an outcome's events to this socket only (what the original calls private events). */
  replyWith(outcome: ActionResult, request?: ClientRequest): void {
    for (const event of outcome.events) this.connection.sendEvent(event, request?.id);
  }

  /** Delivers an outcome to everyone it concerns, on every node; this socket's frames carry the request's `id`. */
  publish(outcome: ActionResult, request?: ClientRequest): void {
    this.context.hub.publish(outcome, { node: this.context.hub.nodeId, connection: this.connection.id, ...(request?.id !== undefined ? { id: request.id } : {}) });
  }

  /** Runs a custom action in one transaction (its room events numbered and logged), then publishes it. */
  async perform(request: ClientRequest, work: (tx: Transaction) => Promise<{ result?: unknown; events: ChatEvent[]; groups?: ActionResult['groups'] }>): Promise<ActionResult> {
    const outcome = await this.engine.perform(async tx => {
      const done = await work(tx);
      return { result: done.result, events: done.events, groups: done.groups ?? [] };
    });
    this.publish(outcome, request);
    return outcome;
  }

  // ---- the original's event types

  async sendMessage(data: unknown, request: ClientRequest): Promise<void> {
    this.publish(await this.engine.sendMessage(this.user, data), request);
  }

  async acknowledgeMessages(data: unknown, request: ClientRequest): Promise<void> {
    this.publish(await this.engine.acknowledgeMessages(this.user, data), request);
  }

  async readMessages(data: unknown, request: ClientRequest): Promise<void> {
    this.publish(await this.engine.readMessages(this.user, data), request);
  }

  async reactToMessage(data: unknown, request: ClientRequest): Promise<void> {
    this.publish(await this.engine.reactToMessage(this.user, data), request);
  }

  async typing(data: unknown, request: ClientRequest): Promise<void> {
    this.publish(await this.engine.typing(this.user, data), request);
  }

  async modifyMessage(data: unknown, request: ClientRequest): Promise<void> {
    this.publish(await this.engine.modifyMessage(this.user, data), request);
  }

  async createRoom(data: unknown, request: ClientRequest): Promise<void> {
    this.publish(await this.engine.createRoom(this.user, data), request);
  }

  async listRooms(data: unknown, request: ClientRequest): Promise<void> {
    this.replyWith(await this.engine.listRooms(this.user, data), request);
  }

  async roomInfo(data: unknown, request: ClientRequest): Promise<void> {
    this.replyWith(await this.engine.roomInfo(this.user, data), request);
  }

  async roomMessages(data: unknown, request: ClientRequest): Promise<void> {
    this.replyWith(await this.engine.roomMessages(this.user, data), request);
  }

  async addMembers(data: unknown, request: ClientRequest): Promise<void> {
    this.publish(await this.engine.addMembers(this.user, data), request);
  }

  async removeMembers(data: unknown, request: ClientRequest): Promise<void> {
    this.publish(await this.engine.removeMembers(this.user, data), request);
  }

  async joinRoom(data: unknown, request: ClientRequest): Promise<void> {
    this.publish(await this.engine.joinRoom(this.user, data), request);
  }

  async leaveRoom(data: unknown, request: ClientRequest): Promise<void> {
    this.publish(await this.engine.leaveRoom(this.user, data), request);
  }

  async modifyRoom(data: unknown, request: ClientRequest): Promise<void> {
    this.publish(await this.engine.modifyRoom(this.user, data), request);
  }

  /** `session.heartbeat`: the session stays active. */
  async heartbeat(_data: unknown, request: ClientRequest): Promise<void> {
    this.context.sessions.touch(this.connection);
    this.connection.sendFrame({ status: 'success', ...(request.id !== undefined ? { id: request.id } : {}) });
  }

  // ---- our additions

  /** `room.history`: cursor pagination, stable under concurrent sends. */
  async messageHistory(data: unknown, request: ClientRequest): Promise<void> {
    this.reply('roomhistory.dispatch', (await this.engine.messageHistory(this.user, data)).result, request);
  }

  /**
   * `session.resume` `{ rooms: { <room id>: <last seq> } }`: replays what the socket missed in each
   * room, in order, then `resume.complete` with every room's position, the rooms to refetch over
   * REST (further behind than the log keeps) and the listed rooms the user no longer belongs to.
   */
  async resume(data: unknown, request: ClientRequest): Promise<void> {
    const rooms = objectInput(objectInput(data).rooms, 'rooms');
    const entries = Object.entries(rooms).map(([roomId, seq]) => ({ roomId: roomId.toLowerCase(), seq }));
    const bad = entries.filter(({ roomId, seq }) => !isUuid(roomId) || typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0);
    if (bad.length > 0) throw ValidationFailed.fromFields({ rooms: [`Expected { "<room id>": <last sequence number> }; bad entries: ${bad.map(({ roomId }) => JSON.stringify(roomId)).join(', ')}.`] });
    const positions = entries.map(({ roomId, seq }) => [roomId, Number(seq)] as const);
    const connection = this.connection;
    // Every cursor first finds where the socket started (a held start reads it, sends nothing).
    await Promise.all([...connection.cursors.values()].map(cursor => cursor.idle()));
    const known = positions.filter(([roomId]) => connection.cursors.has(roomId));
    // A position past a room's latest event would silence the room for good: it is refused, not obeyed.
    const ahead: string[] = [];
    for (const [roomId, seq] of known) {
      if (seq <= (connection.cursors.get(roomId)!.delivered ?? 0)) continue;
      const latest = await connection.log.latest(roomId);
      if (seq > latest) ahead.push(`${roomId} (${seq} > ${latest})`);
    }
    if (ahead.length > 0) throw ValidationFailed.fromFields({ rooms: [`Past the latest event of the room: ${ahead.join(', ')}.`] });
    // Nothing from before the user (last) joined a room is replayed to them, whatever position they give.
    const joinedAt = await connection.log.joinPoints(known.map(([roomId]) => roomId), this.user.id);
    const refetch: string[] = (connection.refetched = []);
    const gone = positions.filter(([roomId]) => !connection.cursors.has(roomId)).map(([roomId]) => roomId);
    try {
      for (const [roomId, seq] of known) {
        if (!connection.cursors.get(roomId)!.rewind(Math.max(seq, (joinedAt.get(roomId) ?? 1) - 1))) refetch.push(roomId);
      }
      connection.release();
      for (const cursor of connection.cursors.values()) cursor.pump();
      await Promise.all([...connection.cursors.values()].map(cursor => cursor.idle()));
    } finally {
      connection.refetched = undefined;
    }
    const at = Object.fromEntries([...connection.cursors].map(([roomId, cursor]) => [roomId, cursor.delivered ?? 0]));
    this.reply('resume.complete', { rooms: at, refetch: [...new Set(refetch)], gone }, request);
  }

  /** `presence.query` `{ room_id }`: who of the room's members is online. */
  async queryPresence(data: unknown, request: ClientRequest): Promise<void> {
    const roomId = requiredId(objectInput(data).room_id, 'room_id');
    const em = this.engine.orm.em.fork();
    const room = await this.engine.permissions.roomAccess(em, this.user, roomId);
    const users = (await memberIds(em, room)).map(userId => this.context.presence.state(userId));
    this.reply('presencestate.dispatch', { room_id: roomId, users }, request);
  }
}
