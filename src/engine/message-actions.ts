/**
 * The message actions: send (reply, forward, media), modify (edit, delete), react, read,
 * acknowledge delivery, typing, and history. Each checks permissions, writes in one transaction
 * and returns the events it produced.
 */
import { randomUUID } from 'node:crypto';
import { EventType, ReferenceKind, UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/core';
import type { AbstractMessage } from '../entities/message.js';
import type { AbstractReaction } from '../entities/reaction.js';
import type { AbstractReadReceipt } from '../entities/read-receipt.js';
import { Room } from '../entities/room.js';
import type { AbstractUser } from '../entities/user.js';
import { IntegrityConflict, NotFound, ValidationFailed } from '../errors/chat-error.js';
import { memberIds } from '../permissions/membership.js';
import type { Representation } from '../serializers/model-serializer.js';
import { model } from '../swappable/registry.js';
import { ActionBase, type Transaction } from './action-base.js';
import { toAsker, toRoom, toUsers, type ActionResult, type ChatEvent } from './events.js';
import { messageRef } from './log-refs.js';
import { messagesByCursor, messagesByPage } from './history.js';
import { idList, objectInput, oneOf, optionalId, positiveInt, requiredId } from './input.js';
import { NoopNotificationProvider, acknowledgeNotifications, createNotification, dropMessageNotifications, recordDeliveries } from './notifications.js';
import { lockMessages, lockUser } from './row-locks.js';
import { entityRow } from './entity-row.js';
import { storedPayload, trimRoomLog } from './event-log.js';
import { queueSend } from './send-queue.js';
import { shownHistoryPage } from './history-page.js';
import { representationSql } from '../serializers/representation-sql.js';
import { PermissionHandler } from '../permissions/permission-handler.js';
import type { NotificationType } from '../entities/media-types.js';

/** The most messages one numbered or cursor page holds. */
export const MAX_PAGE_SIZE = 200;

export abstract class MessageActions extends ActionBase {
  /** The message as the configured serializer shows it. */
  protected async showMessage(em: EntityManager, message: AbstractMessage, user?: AbstractUser): Promise<Representation> {
    return (await this.serializer('MessageSerializer', em, user).serialize(message))!;
  }

  /** A committed message as the configured serializer shows it, read afresh (relations loaded in batches). */
  protected async showStored(em: EntityManager, id: string): Promise<Representation> {
    const message = (await em.findOneOrFail(model('Message'), { id } as never)) as AbstractMessage;
    return (await this.showMessages(em, [message]))[0]!;
  }

  /** Reloads what a message shows of its reactions, receipts, attachments and deliveries, after this action changed them. */
  protected async refreshMessages(em: EntityManager, messages: readonly AbstractMessage[]): Promise<void> {
    if (messages.length > 0) await em.populate(messages as AbstractMessage[], ['readReceipts', 'reactions', 'attachments', 'deliveredTo'] as never[], { refresh: true });
  }

  /** Several messages, in order. */
  protected async showMessages(em: EntityManager, messages: readonly AbstractMessage[], user?: AbstractUser): Promise<Representation[]> {
    return this.serializer('MessageSerializer', em, user).serializeMany(messages);
  }

  /**
   * Stores a notification for the room's members but the actor, and hands it to the provider
   * after commit with the message as `show` presents it (shared with the action's own result).
   */
  protected async notify(
    tx: Transaction,
    room: Room,
    message: AbstractMessage,
    type: NotificationType,
    actor: AbstractUser,
    show: () => Promise<Representation>,
  ): Promise<void> {
    if (!this.settings.enableNotification) return;
    const recipients = (await memberIds(tx.em, room)).filter(id => id !== actor.id);
    if (!(await createNotification(tx.em, message, type, recipients))) return;
    tx.afterCommit(async () => {
      await this.notifier.notify({ type, roomId: room.id, messageId: message.id, senderId: actor.id, recipientIds: recipients, message: await show() });
    });
  }

  /**
   * Shows a message once, however many times it is asked for, after commit: from the entity
   * manager that wrote it (what it just wrote is already loaded), or read afresh.
   */
  protected shownOnce(source: () => { em?: EntityManager; message?: AbstractMessage; id: string }): () => Promise<Representation> {
    let shown: Promise<Representation> | undefined;
    return () =>
      (shown ??= (async () => {
        const { em, message, id } = source();
        return em && message ? this.showMessage(em, message) : this.reading(fresh => this.showStored(fresh, id));
      })());
  }

  /**
   * `message.send`: a message, reply (`parent_message_id`), forward (`forwarded_from_id`) or
   * media message (`media`) in a room the user may post in. A `client_id` (a UUID chosen by
   * the client) makes a retry return the first message instead of sending it twice.
   */
  async sendMessage(user: AbstractUser, data: unknown): Promise<ActionResult<Representation>> {
    const input = objectInput(data);
    const roomId = requiredId(input.room_id, 'room_id');
    const { media, parent_message_id, forwarded_from_id, client_id, ...custom } = objectInput(input.extra_fields, 'extra_fields');
    const clientId = optionalId(input.client_id ?? client_id, 'client_id');
    const parentId = optionalId(parent_message_id, 'parent_message_id');
    const forwardedId = optionalId(forwarded_from_id, 'forwarded_from_id');
    if (parentId && forwardedId) throw ValidationFailed.rule('A forwarded message cannot be a reply');
    if (media !== undefined && !Array.isArray(media)) throw ValidationFailed.fromFields({ media: ['Media must be a list of media files'] });
    const mediaItems = (media ?? []) as unknown[];
    const maxMedia = this.settings.maxMediaPerMessage;
    if (mediaItems.length > maxMedia) throw ValidationFailed.fromFields({ media: [`At most ${maxMedia} media files per message.`] });
    let written: { em?: EntityManager; message?: AbstractMessage; id: string } = { id: '' };
    const show = this.shownOnce(() => written);
    try {
      // A plain message (no reply, forward or media) goes as one statement, unless the permission rules were customised.
      if (!parentId && !forwardedId && mediaItems.length === 0 && this.permissions.send === PermissionHandler.prototype.send) {
        const sent = await this.sendInOneStatement(user, roomId, input.content, custom, clientId);
        // Nothing sent: not allowed, or no such room; the general path below says which.
        if (sent) return sent;
      }
      return await this.inTransaction(async tx => {
        const { em } = tx;
        const room = await this.permissions.send(em, user, roomId);
        if (clientId) {
          const earlier = await em.findOne(model('Message'), { id: clientId } as never);
          if (earlier) return this.repeatedSend(em, earlier as AbstractMessage, user, roomId);
        }
        const parent = parentId ? await this.referencedMessage(em, user, parentId, 'parent_message_id') : undefined;
        if (parent && parent.room.id !== room.id) throw ValidationFailed.fromFields({ parent_message_id: ['A reply must be in the room of the message it replies to.'] });
        const original = forwardedId ? await this.referencedMessage(em, user, forwardedId, 'forwarded_from_id') : undefined;
        const content = mediaItems.length > 0 ? 'Media Files' : (input.content ?? original?.content);
        const sender = em.getReference(model('User'), user.id);
        const message = (await this.serializer('MessageSerializer', em, user).create(
          { ...custom, room_id: roomId, sender_id: user.id, content },
          { ...(clientId ? { id: clientId } : {}), parentMessage: parent ?? null, forwardedFrom: original ?? null, isForwarded: !!original },
          { resolved: { room_id: room, sender_id: sender } },
        )) as AbstractMessage;
        await this.attachMedia(em, user, message, mediaItems, original);
        written = { em, message, id: message.id };
        await this.notify(tx, room, message, parent ? 'REPLY' : 'NEW_MESSAGE', user, show);
        // Shown before the room row is written: concurrent sends to the room wait on that row only until this commit.
        const shown = await show();
        room.lastMessage = message;
        return { result: shown, events: [toRoom(room.id, 'message.dispatch', shown, messageRef(message.id))], groups: [], created: true };
      });
    } catch (error) {
      // Two sends with one client id at once: the loser finds the winner's message.
      if (clientId && error instanceof UniqueConstraintViolationException) {
        return this.reading(async em => {
          const earlier = await em.findOne(model('Message'), { id: clientId } as never);
          if (!earlier) throw error;
          return this.repeatedSend(em, earlier as AbstractMessage, user, roomId);
        });
      }
      throw error;
    }
  }

  /**
   * Sends a plain message in one statement (see `send-statement.ts`): validated by the configured
   * serializer, built as an entity of the configured class (its defaults and custom fields), and
   * shown from that entity without reading anything back. MikroORM's `beforeCreate` and
   * `afterCreate` subscribers run as they would for a flush. Undefined when the user may not post
   * in the room (or it does not exist): nothing was written.
   */
  protected async sendInOneStatement(
    user: AbstractUser,
    roomId: string,
    content: unknown,
    custom: Record<string, unknown>,
    clientId: string | undefined,
  ): Promise<ActionResult<Representation> | undefined> {
    const em = this.orm.em.fork();
    const values = await this.serializer('MessageSerializer', em, user).validate(
      { ...custom, room_id: roomId, sender_id: user.id, content },
      { resolved: { room_id: em.getReference(Room, roomId), sender_id: user } },
    );
    const Message = model('Message');
    const message = em.create(Message, { ...values, ...(clientId ? { id: clientId } : {}), parentMessage: null, forwardedFrom: null, isForwarded: false } as never, { persist: false }) as AbstractMessage;
    const events = em.getEventManager();
    const meta = em.getMetadata().find(Message.name)!;
    await events.dispatchEvent(EventType.beforeCreate, { entity: message, em, meta });
    const notification = this.settings.enableNotification
      ? em.create(model('ChatNotification'), { message, notificationType: 'NEW_MESSAGE' } as never, { persist: false })
      : undefined;
    const sent = await queueSend(em, {
      roomId,
      senderId: user.id,
      messageId: message.id,
      message: entityRow(em, message),
      notification: notification && entityRow(em, notification),
      wantRecipients: !(this.notifier instanceof NoopNotificationProvider),
      logPayload: storedPayload(messageRef(message.id)),
      at: new Date(),
    });
    if (!sent) return undefined;
    await events.dispatchEvent(EventType.afterCreate, { entity: message, em, meta });
    await trimRoomLog(em, roomId, sent.seq, 1, this.settings.eventRetention);
    const shown = await this.showMessage(em, message);
    if (sent.recipients.length > 0) {
      const push = { type: 'NEW_MESSAGE' as const, roomId, messageId: message.id, senderId: user.id, recipientIds: sent.recipients, message: shown };
      await this.notifier.notify(push).catch(error => console.error('realtime-chat-messaging: a post-commit task failed:', error));
    }
    const event = { ...toRoom(roomId, 'message.dispatch', shown), seq: sent.seq, roomId };
    return { result: shown, events: [event], groups: [], created: true };
  }

  /**
   * Stores a message's attachments in one statement: the validated `media` items, or for a forward
   * a copy of the original's attachments as they are now (the forward keeps them whatever happens
   * to the original).
   */
  protected async attachMedia(em: EntityManager, user: AbstractUser, message: AbstractMessage, media: readonly unknown[], original?: AbstractMessage): Promise<void> {
    const Asset = model('MessageMediaAsset');
    const rows: Record<string, unknown>[] = [];
    const serializer = this.serializer('MessageMediaAssetSerializer', em, user);
    for (const item of media) rows.push(await serializer.validate({ ...objectInput(item, 'media'), message_id: message.id }, { resolved: { message_id: message } }));
    if (media.length === 0 && original) {
      const copied = em.getMetadata().find(Asset.name)!.props.filter(p => p.kind === ReferenceKind.SCALAR && !p.primary);
      for (const asset of await original.attachments.loadItems()) rows.push({ ...Object.fromEntries(copied.map(p => [p.name, (asset as unknown as Record<string, unknown>)[p.name]])), message });
    }
    if (rows.length === 0) return;
    // Ascending ids keep the attachments in the order they came in (the collection is ordered by id).
    const ids = rows.map(() => randomUUID()).sort();
    await em.insertMany(rows.map((row, i) => em.create(Asset, { ...row, id: ids[i] } as never, { persist: false })));
    await em.populate(message, ['attachments'] as never[], { refresh: true });
  }

  /** The message a reply or forward points at: a missing one is a field error (4003, as the original's serializer says). */
  private async referencedMessage(em: EntityManager, user: AbstractUser, id: string, field: string): Promise<AbstractMessage> {
    try {
      return (await this.permissions.messageAccess(em, user, [id]))[0]!;
    } catch (error) {
      if (error instanceof NotFound) throw ValidationFailed.fromFields({ [field]: [`Invalid pk "${id}" - object does not exist.`] });
      throw error;
    }
  }

  private async repeatedSend(em: EntityManager, earlier: AbstractMessage, user: AbstractUser, roomId: string): Promise<ActionResult<Representation>> {
    if (earlier.sender.id !== user.id || earlier.room.id !== roomId) {
      throw new IntegrityConflict('client_id is already the id of another message', { client_id: earlier.id });
    }
    return { result: await this.showMessage(em, earlier), events: [], groups: [], created: false };
  }

  /** `message.modify`: `update` one message's content (its sender), or `delete` messages of one room (soft or hard, by the setting). */
  async modifyMessage(user: AbstractUser, data: unknown): Promise<ActionResult<Representation>> {
    const input = objectInput(data);
    const action = oneOf(input.action, 'action', ['update', 'delete'] as const);
    const ids = idList(input.message_id, 'message_id');
    if (action === 'update') {
      if (ids.length > 1) throw ValidationFailed.rule('You can only update one message at a time');
      if (input.extra_fields === undefined || input.extra_fields === null) throw ValidationFailed.rule("'extra_fields' field should be provided for update action");
      const content = objectInput(input.extra_fields, 'extra_fields').content;
      if (content === undefined || content === null || content === '') throw ValidationFailed.rule('Content should be provided for update action');
      return this.inTransaction(async ({ em }) => {
        await lockMessages(em, ids);
        const { room, messages } = await this.permissions.messageSender(em, user, ids);
        const message = messages[0]!;
        await this.serializer('MessageSerializer', em, user).update(message, { content });
        message.isEdited = true;
        await em.flush();
        const shown = { status: 'successful', action: 'update', message: await this.showMessage(em, message) };
        return { result: shown, events: [toRoom(room.id, 'messagemodification.dispatch', shown, { ...shown, message: messageRef(message.id) })], groups: [] };
      });
    }
    return this.inTransaction(async ({ em }) => {
      await lockMessages(em, ids);
      const { room, messages } = await this.permissions.messageDelete(em, user, ids);
      if (this.settings.messageSoftDelete) {
        // A soft-deleted message keeps its row and nothing of what it said: content, attachments, pending notifications.
        for (const message of messages) {
          message.isDeleted = true;
          message.content = '';
        }
        await em.nativeDelete(model('MessageMediaAsset'), { message: { $in: ids } } as never);
        await dropMessageNotifications(em, ids);
      } else {
        em.remove(messages);
      }
      await em.flush();
      await this.refreshLastMessage(em, room);
      const shown = { status: 'successful', action: 'delete', message_ids: ids };
      return { result: shown, events: [toRoom(room.id, 'messagemodification.dispatch', shown)], groups: [] };
    });
  }

  /** Points the room at its latest message that is not deleted. */
  protected async refreshLastMessage(em: EntityManager, room: Room): Promise<void> {
    const latest = await em.findOne(model('Message'), { room: room.id, isDeleted: false } as never, { orderBy: { createdAt: 'desc', id: 'desc' } as never });
    room.lastMessage = (latest as AbstractMessage | null) ?? null;
    await em.flush();
  }

  /** `message.react`: `add` a reaction (replacing the user's previous one; the same one twice is a no-op) or `remove` it. */
  async reactToMessage(user: AbstractUser, data: unknown): Promise<ActionResult<Representation>> {
    const input = objectInput(data);
    const type = oneOf(input.type, 'type', ['add', 'remove'] as const);
    const [messageId] = idList(input.message_id, 'message_id', { max: 1 });
    return this.inTransaction(async tx => {
      const { em } = tx;
      await lockUser(em, user.id);
      const [message] = await this.permissions.messageAccess(em, user, [messageId!]);
      const room = message!.room;
      const existing = (await em.findOne(model('Reaction'), { message: messageId, user: user.id } as never)) as AbstractReaction | null;
      let shown: Representation;
      if (type === 'remove') {
        if (existing) em.remove(existing);
        await em.flush();
        await this.refreshMessages(em, [message!]);
        shown = { status: existing ? 'successful' : 'failed', message: await this.showMessage(em, message!), action: 'remove' };
      } else {
        const serializer = this.serializer('ReactionSerializer', em, user);
        const content = input.reaction_content;
        if (existing && existing.reactionContent === content) {
          // The same reaction again changes nothing and tells nobody else; the asker gets the dispatch it waits for.
          shown = { status: 'successful', type: 'add', message: await this.showMessage(em, message!) };
          return { result: shown, events: [toAsker(user.id, 'reaction.dispatch', shown)], groups: [], created: false };
        }
        if (existing) await serializer.update(existing, { reaction_content: content });
        else await serializer.create({ user_id: user.id, message: messageId, reaction_content: content });
        await this.refreshMessages(em, [message!]);
        await this.notify(tx, room, message!, 'REACTION', user, this.shownOnce(() => ({ id: message!.id })));
        shown = { status: 'successful', type: 'add', message: await this.showMessage(em, message!) };
      }
      return { result: shown, events: [toRoom(room.id, 'reaction.dispatch', shown, { ...shown, message: messageRef(message!.id) })], groups: [] };
    });
  }

  /**
   * `message.read`: read receipts for messages others sent (one id or a list; reading twice
   * changes nothing). One `readreceipt.dispatch` per room: the message, or the list of messages.
   */
  async readMessages(user: AbstractUser, data: unknown): Promise<ActionResult<Representation[]>> {
    const input = objectInput(data);
    const single = !Array.isArray(input.message_id);
    const ids = idList(input.message_id, 'message_id');
    return this.inTransaction(async ({ em }) => {
      await lockUser(em, user.id);
      const messages = await this.permissions.messageAccess(em, user, ids);
      return this.markRead(em, user, messages, single);
    });
  }

  /** Every message of a room up to (and including) `message_id` that the user has not read yet. */
  async readUpTo(user: AbstractUser, data: unknown): Promise<ActionResult<Representation[]>> {
    const input = objectInput(data);
    const roomId = requiredId(input.room_id, 'room_id');
    const upTo = requiredId(input.message_id, 'message_id');
    return this.inTransaction(async ({ em }) => {
      await lockUser(em, user.id);
      const room = await this.permissions.roomAccess(em, user, roomId);
      const [last] = await this.permissions.messageAccess(em, user, [upTo]);
      if (last!.room.id !== room.id) throw ValidationFailed.fromFields({ message_id: ['The message is not in this room.'] });
      const messages = (await em.find(
        model('Message'),
        { room: room.id, isDeleted: false, createdAt: { $lte: last!.createdAt }, sender: { $ne: user.id } } as never,
        { orderBy: { createdAt: 'asc', id: 'asc' } as never },
      )) as AbstractMessage[];
      return this.markRead(em, user, messages, false);
    });
  }

  private async markRead(em: EntityManager, user: AbstractUser, messages: readonly AbstractMessage[], single: boolean): Promise<ActionResult<Representation[]>> {
    const others = messages.filter(m => m.sender.id !== user.id);
    const already = new Set(
      ((await em.find(model('ReadReceipt'), { reader: user.id, message: { $in: others.map(m => m.id) } } as never)) as AbstractReadReceipt[]).map(r => r.message.id),
    );
    const fresh = others.filter(m => !already.has(m.id));
    for (const message of fresh) em.create(model('ReadReceipt'), { message, reader: em.getReference(model('User'), user.id) } as never);
    await em.flush();
    await this.refreshMessages(em, fresh);
    // Reading again changes nothing and tells nobody else, but the asker still gets the dispatch it waits for.
    const repeat = fresh.length === 0 && others.length > 0;
    const byRoom = new Map<string, AbstractMessage[]>();
    for (const message of repeat ? others : fresh) byRoom.set(message.room.id, [...(byRoom.get(message.room.id) ?? []), message]);
    const events: ChatEvent[] = [];
    const result: Representation[] = [];
    for (const [roomId, list] of byRoom) {
      const shown = await this.showMessages(em, list);
      result.push(...shown);
      const data = single ? shown[0] : shown;
      const refs = list.map(m => messageRef(m.id));
      events.push(repeat ? toAsker(user.id, 'readreceipt.dispatch', data) : toRoom(roomId, 'readreceipt.dispatch', data, single ? refs[0] : refs));
    }
    return { result, events, groups: [], ...(repeat ? { created: false } : {}) };
  }

  /**
   * `message.acknowledged`: the user's devices received these messages. Removes the user from
   * their notifications, records the delivery, and tells each sender (`messagedelivered.dispatch`).
   */
  async acknowledgeMessages(user: AbstractUser, data: unknown): Promise<ActionResult<Record<string, Representation[]>>> {
    const ids = idList(objectInput(data).message_id, 'message_id');
    return this.inTransaction(async ({ em }) => {
      await lockUser(em, user.id);
      const messages = await this.permissions.messageAccess(em, user, ids);
      await acknowledgeNotifications(em, user.id, ids);
      const others = messages.filter(m => m.sender.id !== user.id);
      await recordDeliveries(em, others.map(m => m.id), user.id);
      await this.refreshMessages(em, others);
      const bySender: Record<string, Representation[]> = {};
      for (const message of others) (bySender[message.sender.id] ??= []).push(await this.showMessage(em, message));
      const events = Object.entries(bySender).map(([senderId, shown]) => toUsers([senderId], 'messagedelivered.dispatch', shown));
      return { result: bySender, events, groups: [] };
    });
  }

  /** `message.typing`: tells the room the user is typing (nothing is stored). */
  async typing(user: AbstractUser, data: unknown): Promise<ActionResult<{ username: string }>> {
    const roomId = requiredId(objectInput(data).room_id, 'room_id');
    return this.reading(async em => {
      const room = await this.permissions.send(em, user, roomId);
      const shown = { username: user.username };
      return { result: shown, events: [toRoom(room.id, 'messagetyping.dispatch', shown)], groups: [] };
    });
  }

  /**
   * `room.messages`: a room's messages, newest first, a page at a time: `paginate: { page, size }`
   * (a page past the end gives the last page), as the original's clients expect. Without it (or
   * with `paginate: {}`), the first page of `MAX_PAGE_SIZE`: the original returned every message,
   * which has no bound; the paging fields say whether there is more.
   */
  async roomMessages(user: AbstractUser, data: unknown): Promise<ActionResult<Representation>> {
    const input = objectInput(data);
    const roomId = requiredId(input.room_id, 'room_id');
    const given = input.paginate === undefined || input.paginate === null ? undefined : objectInput(input.paginate, 'paginate');
    // One of page and size alone is an error, as in the original.
    const paginate = given && (given.page !== undefined || given.size !== undefined) ? given : undefined;
    if (paginate && (paginate.page === undefined || paginate.size === undefined)) throw ValidationFailed.rule('page and size required');
    const page = paginate ? positiveInt(paginate.page, 'page', { max: Number.MAX_SAFE_INTEGER }) : 1;
    const size = paginate ? positiveInt(paginate.size, 'size', { max: MAX_PAGE_SIZE }) : MAX_PAGE_SIZE;
    return this.reading(async em => {
      const inSql = this.historyInSql(em);
      let result: { messages: Representation[]; page: number; hasNext: boolean; hasPrevious: boolean };
      if (inSql) {
        result = await shownHistoryPage(em, inSql, user.id, roomId, { page, size });
      } else {
        const room = await this.permissions.roomAccess(em, user, roomId);
        const found = await messagesByPage(em, room.id, page, size);
        result = { ...found, messages: await this.showMessages(em, found.messages, user) };
      }
      const shown = {
        has_next: result.hasNext,
        has_previous: result.hasPrevious,
        next_page_number: result.hasNext ? result.page + 1 : null,
        prev_page_number: result.hasPrevious ? result.page - 1 : null,
        page: result.page,
        size,
        data: { room_id: roomId, messages: result.messages },
      };
      return { result: shown, events: [toAsker(user.id, 'roommessages.dispatch', shown)], groups: [] };
    });
  }

  /**
   * The SQL that shows a message as the configured serializer does, when history can be read in
   * one statement: the serializer's fields compile to SQL and the access rule is the package's.
   * Otherwise undefined: entities are loaded and serialized (a custom getter, a custom rule).
   */
  protected historyInSql(em: EntityManager): string | undefined {
    if (this.permissions.roomAccess !== PermissionHandler.prototype.roomAccess) return undefined;
    return representationSql(em, this.settings, this.settings.serializers.MessageSerializer, model('Message'), 'm');
  }

  /** A room's messages by cursor: newest first, `limit` at most `MAX_PAGE_SIZE`, `before` the cursor of the previous page. */
  async messageHistory(user: AbstractUser, data: unknown): Promise<ActionResult<{ results: Representation[]; next_cursor: string | null }>> {
    const input = objectInput(data);
    const roomId = requiredId(input.room_id, 'room_id');
    // A larger limit is capped, not refused: the client gets a full page and a cursor for the rest.
    const limit = input.limit === undefined ? 50 : Math.min(positiveInt(input.limit, 'limit'), MAX_PAGE_SIZE);
    const before = input.before === undefined || input.before === '' ? undefined : String(input.before);
    return this.reading(async em => {
      const inSql = this.historyInSql(em);
      if (inSql) {
        const page = await shownHistoryPage(em, inSql, user.id, roomId, { before, limit });
        return { result: { results: page.messages, next_cursor: page.nextCursor }, events: [], groups: [] };
      }
      const room = await this.permissions.roomAccess(em, user, roomId);
      const page = await messagesByCursor(em, room.id, before, limit);
      return { result: { results: await this.showMessages(em, page.messages, user), next_cursor: page.nextCursor }, events: [], groups: [] };
    });
  }
}

