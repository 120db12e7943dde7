/**
 * The permission rules of the original package (object level), as a class: subclass it and name
 * the subclass in `permissionHandlerClass` to change any rule. Each check returns what it loaded
 * (the room, the messages) or throws `PermissionDenied`, `NotFound` or `ValidationFailed`.
 */
import type { EntityManager } from '@mikro-orm/core';
import { AbstractGroupChat } from '../entities/group-chat.js';
import type { AbstractMessage } from '../entities/message.js';
import { Room } from '../entities/room.js';
import type { AbstractUser } from '../entities/user.js';
import { NotFound, NotVisible, PermissionDenied, ValidationFailed } from '../errors/chat-error.js';
import { creatorIdOf, isIn, isMember, kindOf, privilegedOf } from './membership.js';
import { model } from '../swappable/registry.js';
import { hasPermission } from './object-permissions.js';

/** The admin actions of `room.modify`. */
export type RoomAdminAction = 'update' | 'delete' | 'add_permission' | 'remove_permission' | 'add_admin' | 'remove_admin' | 'add_moderator' | 'remove_moderator';

export class PermissionHandler {
  /** The room, or NotFound. */
  async loadRoom(em: EntityManager, roomId: string): Promise<Room> {
    const room = await em.findOne(Room, { id: roomId });
    if (!room) throw new NotFound('Room', roomId);
    return room;
  }

  /** Whether the user is the room's creator. */
  protected isCreator(room: Room, user: AbstractUser): boolean {
    return creatorIdOf(room) === user.id;
  }

  /** Whether the user is an admin (group) or moderator (channel) of the room. */
  protected async isPrivileged(em: EntityManager, room: Room, user: AbstractUser): Promise<boolean> {
    const relation = privilegedOf(room);
    return !!relation && isIn(em, room.id, relation, user.id);
  }

  /** Room access: a participant (one-to-one, group) or subscriber (channel). */
  async roomAccess(em: EntityManager, user: AbstractUser, roomId: string): Promise<Room> {
    const room = await this.loadRoom(em, roomId);
    if (!(await isMember(em, room, user.id))) throw new NotVisible('Room', roomId, 'User is not authorized access this room');
    return room;
  }

  /** Message access: every message exists, is not deleted, and is in a room the user belongs to (all or nothing). */
  async messageAccess(em: EntityManager, user: AbstractUser, messageIds: readonly string[]): Promise<AbstractMessage[]> {
    const messages = await em.find(model('Message'), { id: { $in: [...messageIds] }, isDeleted: false }, { populate: ['room'] });
    const found = new Set(messages.map(m => m.id));
    const missing = messageIds.filter(id => !found.has(id));
    if (missing.length > 0) throw new NotFound('Message', missing.length === 1 ? missing[0] : missing);
    const checked = new Map<string, boolean>();
    for (const message of messages) {
      if (!checked.has(message.room.id)) checked.set(message.room.id, await isMember(em, message.room, user.id));
      if (!checked.get(message.room.id)) throw new NotVisible('Message', message.id, 'User is not authorized to access this message');
    }
    return messageIds.map(id => messages.find(m => m.id === id)!);
  }

  /** Modifying messages: the user sent every one of them, and they all come from one room. */
  async messageSender(em: EntityManager, user: AbstractUser, messageIds: readonly string[]): Promise<{ room: Room; messages: AbstractMessage[] }> {
    if (messageIds.length < 1) throw ValidationFailed.rule('Atleast one message_id is required for modification');
    const messages = await this.messageAccess(em, user, messageIds);
    if (new Set(messages.map(m => m.room.id)).size > 1) throw ValidationFailed.rule('All messages marked for modification must come from the same room');
    if (messages.some(m => m.sender.id !== user.id)) throw new PermissionDenied('User is not authorized to modify this message');
    return { room: messages[0]!.room, messages };
  }

  /**
   * Deleting messages: the sender may, and so may the room's creator and admins (moderators), who
   * keep their rooms clean. All messages come from one room.
   */
  async messageDelete(em: EntityManager, user: AbstractUser, messageIds: readonly string[]): Promise<{ room: Room; messages: AbstractMessage[] }> {
    if (messageIds.length < 1) throw ValidationFailed.rule('Atleast one message_id is required for modification');
    const messages = await this.messageAccess(em, user, messageIds);
    if (new Set(messages.map(m => m.room.id)).size > 1) throw ValidationFailed.rule('All messages marked for modification must come from the same room');
    const room = messages[0]!.room;
    if (messages.every(m => m.sender.id === user.id)) return { room, messages };
    if (this.isCreator(room, user) || (await this.isPrivileged(em, room, user))) return { room, messages };
    throw new PermissionDenied('User is not authorized to modify this message');
  }

  /**
   * Sending: to a channel, a subscriber who is its creator, a moderator or holds
   * `can_send_messages`; to a locked group, a participant who is its creator or an admin;
   * otherwise, a participant.
   */
  async send(em: EntityManager, user: AbstractUser, roomId: string): Promise<Room> {
    const room = await this.loadRoom(em, roomId);
    const member = await isMember(em, room, user.id);
    let allowed = member;
    const kind = kindOf(room);
    if (member && kind === 'channel') {
      allowed = this.isCreator(room, user) || (await this.isPrivileged(em, room, user)) || (await hasPermission(em, 'can_send_messages', user, room));
    } else if (member && room instanceof AbstractGroupChat && room.groupLocked) {
      allowed = this.isCreator(room, user) || (await this.isPrivileged(em, room, user));
    }
    if (!member) throw new NotVisible('Room', roomId, 'User is not authorized to send message to this room');
    if (!allowed) throw new PermissionDenied('User is not authorized to send message to this room');
    return room;
  }

  /**
   * Adding (`add_new`) or removing (`remove`) members: groups and channels only; a member who
   * holds the type's permission, is the creator, or an admin (moderator).
   */
  async manageMembers(em: EntityManager, user: AbstractUser, roomId: string, phrase: 'add_new' | 'remove'): Promise<Room> {
    const room = await this.loadRoom(em, roomId);
    const kind = kindOf(room);
    if (kind !== 'group' && kind !== 'channel') throw ValidationFailed.rule('Invalid room, Can only add or remove members from Groups/Channels');
    const codename = `can_${phrase}_${kind === 'group' ? 'participants' : 'subscribers'}`;
    const refusal = phrase === 'add_new' ? 'User is not authorized to add new members to this room' : 'User is not authorized to remove members from this room';
    if (!(await isMember(em, room, user.id))) throw new NotVisible('Room', roomId, refusal);
    const allowed = (await hasPermission(em, codename, user, room)) || this.isCreator(room, user) || (await this.isPrivileged(em, room, user));
    if (!allowed) throw new PermissionDenied(refusal);
    return room;
  }

  /**
   * Room administration (`room.modify`): deleting a group or channel is for its creator (a member);
   * a one-to-one chat, for either participant. Other actions: a member who is the creator or an
   * admin (moderator); any participant of a one-to-one chat.
   */
  async administer(em: EntityManager, user: AbstractUser, roomId: string, action: RoomAdminAction): Promise<Room> {
    const room = await this.loadRoom(em, roomId);
    const member = await isMember(em, room, user.id);
    const kind = kindOf(room);
    if (action === 'delete') {
      if ((kind === 'group' || kind === 'channel') && member && !this.isCreator(room, user)) {
        throw new PermissionDenied('User is not the creator of this room');
      }
      if (!member) throw new NotVisible('Room', roomId, 'User is not an admin of this room');
      return room;
    }
    if (!member) throw new NotVisible('Room', roomId, 'User is not an admin of this room');
    const allowed = kind === 'one_to_one' || kind === 'other' || this.isCreator(room, user) || (await this.isPrivileged(em, room, user));
    if (!allowed) throw new PermissionDenied('User is not an admin of this room');
    return room;
  }
}
