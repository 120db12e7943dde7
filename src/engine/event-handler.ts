/**
 * `EventHandler`: the chat engine's facade. Each method is one action of the original package's
 * protocol, run over a fresh `EngineContext` by its module in `actions/`. Subclass it and name the
 * subclass in `eventHandlerClass` to change an action (override its method, call `super` for the
 * default) or to add one (`this.context(user).transaction(…)`).
 */
import type { MikroORM } from '@mikro-orm/core';
import type { AbstractUser } from '../entities/user.js';
import type { PermissionHandler } from '../permissions/permission-handler.js';
import type { Representation } from '../serializers/model-serializer.js';
import type { ChatSettings } from '../settings/types.js';
import * as actions from './actions/index.js';
import { EngineContext, engineServices, runTransaction, type EngineOptions, type EngineServices, type Transaction } from './context.js';
import type { ActionResult } from './events.js';
import type { LogRefIds, ShownRefs } from './log-refs.js';
import type { NotificationProvider } from './notifications.js';
import type { ChatLogger } from '../logging/chat-logger.js';

export class EventHandler implements EngineServices {
  readonly orm: MikroORM;
  readonly settings: ChatSettings;
  readonly permissions: PermissionHandler;
  readonly notifier: NotificationProvider;
  /** Where failures after a commit are reported (`EngineOptions.logger`). */
  readonly logger: ChatLogger;

  constructor(options: EngineOptions) {
    const services = engineServices(options);
    this.orm = services.orm;
    this.settings = services.settings;
    this.permissions = services.permissions;
    this.notifier = services.notifier;
    this.logger = services.logger;
  }

  /** The context an action of `user` runs over: this engine's services and an entity manager of its own. */
  context(user: AbstractUser): EngineContext {
    return new EngineContext(this, user);
  }

  /**
   * Runs a custom action the way the package runs its own: in one transaction, its room events
   * numbered and logged with the writes. Publish the returned outcome to deliver it.
   */
  perform<R extends ActionResult>(work: (tx: Transaction) => Promise<R>): Promise<R> {
    return runTransaction(this, work);
  }

  /** `message.send`: a message, reply, forward or media message; `client_id` makes a retry idempotent. */
  sendMessage(user: AbstractUser, data: unknown): Promise<ActionResult<Representation>> {
    return actions.sendMessage(this.context(user), data);
  }

  /** `message.modify`: `update` one message's content, or `delete` messages of one room. */
  modifyMessage(user: AbstractUser, data: unknown): Promise<ActionResult<Representation>> {
    return actions.modifyMessage(this.context(user), data);
  }

  /** `message.react`: `add` (or replace) the user's reaction to a message, or `remove` it. */
  reactToMessage(user: AbstractUser, data: unknown): Promise<ActionResult<Representation>> {
    return actions.reactToMessage(this.context(user), data);
  }

  /** `message.read`: read receipts for messages others sent. */
  readMessages(user: AbstractUser, data: unknown): Promise<ActionResult<Representation[]>> {
    return actions.readMessages(this.context(user), data);
  }

  /** Reads every message of a room up to (and including) `message_id`. */
  readUpTo(user: AbstractUser, data: unknown): Promise<ActionResult<Representation[]>> {
    return actions.readUpTo(this.context(user), data);
  }

  /** `message.acknowledged`: the user's devices received these messages; their senders are told. */
  acknowledgeMessages(user: AbstractUser, data: unknown): Promise<ActionResult<Record<string, Representation[]>>> {
    return actions.acknowledgeMessages(this.context(user), data);
  }

  /** `message.typing`: tells the room the user is typing. */
  typing(user: AbstractUser, data: unknown): Promise<ActionResult<{ username: string }>> {
    return actions.typing(this.context(user), data);
  }

  /** `room.messages`: a room's messages, newest first, by numbered page. */
  roomMessages(user: AbstractUser, data: unknown): Promise<ActionResult<Representation>> {
    return actions.roomMessages(this.context(user), data);
  }

  /** A room's messages, newest first, by cursor. */
  messageHistory(user: AbstractUser, data: unknown): Promise<ActionResult<{ results: Representation[]; next_cursor: string | null }>> {
    return actions.messageHistory(this.context(user), data);
  }

  /** `room.create`: a one-to-one chat (got or created), a group or a channel. */
  createRoom(user: AbstractUser, data: unknown): Promise<ActionResult<Representation>> {
    return actions.createRoom(this.context(user), data);
  }

  /** `room.list`: the user's rooms, most recent first, a page at a time. */
  listRooms(user: AbstractUser, data?: unknown): Promise<ActionResult<Representation[]>> {
    return actions.listRooms(this.context(user), data);
  }

  /** `room.info`: one room in detail. */
  roomInfo(user: AbstractUser, data: unknown): Promise<ActionResult<Representation>> {
    return actions.roomInfo(this.context(user), data);
  }

  /** `room.add_members`: adds users to a group or channel. */
  addMembers(user: AbstractUser, data: unknown): Promise<ActionResult<Representation>> {
    return actions.addMembers(this.context(user), data);
  }

  /** `room.remove_members`: removes users from a group or channel. */
  removeMembers(user: AbstractUser, data: unknown): Promise<ActionResult<Representation>> {
    return actions.removeMembers(this.context(user), data);
  }

  /** `room.join`: joins a public channel. */
  joinRoom(user: AbstractUser, data: unknown): Promise<ActionResult<Representation>> {
    return actions.joinRoom(this.context(user), data);
  }

  /** `room.leave`: leaves a group or channel; the last one out deletes it. */
  leaveRoom(user: AbstractUser, data: unknown): Promise<ActionResult<Representation>> {
    return actions.leaveRoom(this.context(user), data);
  }

  /** `room.modify`: update, delete, or change permissions, admins or moderators. */
  modifyRoom(user: AbstractUser, data: unknown): Promise<ActionResult<Representation>> {
    return actions.modifyRoom(this.context(user), data);
  }

  /** The user's pending notifications, grouped by room id (what `chat.notifications` carries on connect). */
  pendingNotifications(user: AbstractUser): Promise<ActionResult<Record<string, Representation[]>>> {
    return actions.pendingNotifications(this.context(user));
  }

  /** Shows the messages and rooms the room event log refers to, as they are now (what a replayed event carries). */
  renderLogged(ids: LogRefIds): Promise<ShownRefs> {
    return actions.renderLogged(this, ids);
  }
}
