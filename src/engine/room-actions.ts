/**
 * The room actions: create (one-to-one chats are got or created), list with last message and
 * unread count, info, add and remove members, join, leave, and the administration of
 * `room.modify` (update, delete, permissions, admins, moderators).
 */
import type { Collection, EntityManager } from '@mikro-orm/core';
import { CHANNEL_MODERATOR_PERMISSIONS } from '../entities/channel.js';
import { GROUP_ADMIN_PERMISSIONS, type AbstractGroupChat } from '../entities/group-chat.js';
import type { AbstractRoomProperty } from '../entities/room-property.js';
import { Room } from '../entities/room.js';
import type { AbstractUser } from '../entities/user.js';
import { ValidationFailed } from '../errors/chat-error.js';
import { assignPermission, removePermission } from '../permissions/object-permissions.js';
import { isMember, kindOf, memberIds, membersOf, privilegedOf } from '../permissions/membership.js';
import type { RoomAdminAction } from '../permissions/permission-handler.js';
import type { Representation } from '../serializers/model-serializer.js';
import { PolymorphicRoomSerializer } from '../serializers/polymorphic.js';
import { model } from '../swappable/registry.js';
import { toAsker, toRoom, toUsers, type ActionResult, type ChatEvent } from './events.js';
import { roomRef } from './log-refs.js';
import { dropRoomNotifications } from './notifications.js';
import { unreadCounts } from './history.js';
import { idList, objectInput, optionalIdList, positiveInt, requiredId } from './input.js';
import { DEFAULT_ROOM_PAGE, MAX_ROOM_PAGE, roomsByActivity } from './room-list.js';
import { MessageActions } from './message-actions.js';
import { lockRoom } from './row-locks.js';

const ADMIN_ACTIONS = ['delete', 'update', 'add_permission', 'remove_permission', 'add_moderator', 'add_admin', 'remove_moderator', 'remove_admin'] as const;

type UserCollection = Collection<AbstractUser>;

export abstract class RoomActions extends MessageActions {
  /** A room in detail, as the configured serializers show it. */
  protected async showRoom(em: EntityManager, room: Room, user?: AbstractUser): Promise<Representation> {
    return (await this.serializer('RoomPolymorphicSerializer', em, user).serialize(room))!;
  }

  /** The users with these ids (all must exist). */
  protected async usersById(em: EntityManager, ids: readonly string[], field: string): Promise<AbstractUser[]> {
    if (ids.length === 0) return [];
    const users = (await em.find(model('User'), { id: { $in: [...ids] } } as never)) as AbstractUser[];
    const missing = ids.filter(id => !users.some(u => u.id === id));
    if (missing.length > 0) throw ValidationFailed.fromFields({ [field]: [`Unknown users: ${missing.join(', ')}`] });
    return ids.map(id => users.find(u => u.id === id)!);
  }

  protected relation(room: Room, name: 'participants' | 'subscribers' | 'admins' | 'moderators'): UserCollection {
    return (room as unknown as Record<string, UserCollection>)[name]!;
  }

  /**
   * `room.create`: a one-to-one chat (the pair's existing chat if there is one), a group or a
   * channel, with its members and `extra_fields` (the room property, custom fields).
   */
  async createRoom(user: AbstractUser, data: unknown): Promise<ActionResult<Representation>> {
    const input = objectInput(data);
    const type = PolymorphicRoomSerializer.resolveType(input.type);
    if (!type) throw ValidationFailed.fromFields({ type: ['Invalid resource type: expected one of OneToOneChat, GroupChat, Channel'] });
    const { property, ...custom } = objectInput(input.extra_fields, 'extra_fields');
    const propertyInput = property === undefined ? undefined : objectInput(property, 'property');
    const membersField = type === 'Channel' ? 'subscribers' : 'participants';
    const memberIdsInput = optionalIdList(input[membersField], membersField).filter(id => id !== user.id);
    const pairKey = type === 'OneToOneChat' && memberIdsInput.length === 1 ? [user.id, memberIdsInput[0]!].sort().join(':') : undefined;
    const existingChat = async (em: EntityManager): Promise<ActionResult<Representation> | undefined> => {
      const existing = pairKey ? await em.findOne(model('OneToOneChat'), { pairKey } as never) : null;
      if (!existing) return undefined;
      const shown = await this.showRoom(em, existing as Room, user);
      return { result: shown, events: [toAsker(user.id, 'roomcreate.dispatch', shown)], groups: [], created: false };
    };
    const created = this.inTransaction(async ({ em }) => {
      const members = await this.usersById(em, memberIdsInput, membersField);
      if (type === 'OneToOneChat') {
        if (members.length > 1) throw ValidationFailed.fromFields({ participants: ['A one to one chat can only have 2 participants'] });
        if (members.length !== 1) throw ValidationFailed.fromFields({ participants: ['A one to one chat needs exactly one other participant'] });
        const existing = await existingChat(em);
        if (existing) return existing;
      }
      const { type: _type, [membersField]: _members, extra_fields: _extra, ...fields } = input;
      const serializer = new PolymorphicRoomSerializer({ em, settings: this.settings, user }).serializerFor(type);
      const values = await serializer.validate({ ...fields, ...custom });
      const room = em.create(model(type), { ...values, ...(type === 'OneToOneChat' ? {} : { creator: em.getReference(model('User'), user.id) }) } as never) as Room;
      room.property ??= em.create(model('RoomProperty'), {} as never) as AbstractRoomProperty;
      if (propertyInput) await this.serializer('RoomPropertySerializer', em, user).validate(propertyInput, { partial: true }).then(v => em.assign(room.property, v as never));
      const everyone = [...(await this.usersById(em, [user.id], 'user')), ...members];
      this.relation(room, membersOf(room)).add(everyone);
      await em.flush();
      const shown = await this.showRoom(em, room, user);
      const ids = everyone.map(u => u.id);
      return { result: shown, events: [toRoom(room.id, 'roomcreate.dispatch', shown, roomRef(room.id))], groups: [{ roomId: room.id, join: ids }], created: true };
    });
    // Get-or-create: two requests creating one pair's chat at once race on its unique pair key; the loser answers with the winner's chat.
    return created.catch(async error => (pairKey ? ((await this.reading(existingChat)) ?? Promise.reject(error)) : Promise.reject(error)));
  }

  /**
   * `room.list`: the user's rooms, each with its last message and unread count, most recent
   * first, a page at a time (`limit`, default 100, at most 500; `before`, the cursor of the
   * previous page, carried by the outcome's `next`).
   */
  async listRooms(user: AbstractUser, data?: unknown): Promise<ActionResult<Representation[]>> {
    const input = objectInput(data);
    const limit = input.limit === undefined ? DEFAULT_ROOM_PAGE : Math.min(positiveInt(input.limit, 'limit'), MAX_ROOM_PAGE);
    const before = input.before === undefined || input.before === null || input.before === '' ? undefined : String(input.before);
    return this.reading(async em => {
      const page = await roomsByActivity(em, user.id, limit, before);
      const unread = await unreadCounts(em, user.id, page.rooms.map(room => room.id));
      const shown = await this.serializer('RoomListPolymorphicSerializer', em, user).serializeMany(page.rooms);
      for (const room of shown) room.unread_count = unread.get(room.id as string) ?? 0;
      return { result: shown, events: [toAsker(user.id, 'roomlist.dispatch', shown)], groups: [], next: page.nextCursor };
    });
  }

  /** `room.info`: one room in detail. */
  async roomInfo(user: AbstractUser, data: unknown): Promise<ActionResult<Representation>> {
    const roomId = requiredId(objectInput(data).room_id, 'room_id');
    return this.reading(async em => {
      const room = await this.permissions.roomAccess(em, user, roomId);
      const shown = await this.showRoom(em, room, user);
      return { result: shown, events: [toAsker(user.id, 'roominfo.dispatch', shown)], groups: [] };
    });
  }

  /** `room.add_members`: adds users to a group or channel. */
  async addMembers(user: AbstractUser, data: unknown): Promise<ActionResult<Representation>> {
    const input = objectInput(data);
    const roomId = requiredId(input.room_id, 'room_id');
    const ids = idList(input.members, 'members');
    return this.inTransaction(async ({ em }) => {
      await lockRoom(em, roomId);
      const room = await this.permissions.manageMembers(em, user, roomId, 'add_new');
      const users = await this.usersById(em, ids, 'members');
      const current = new Set(await memberIds(em, room));
      const added = users.filter(u => !current.has(u.id));
      if (added.length > 0) this.relation(room, membersOf(room)).add(added);
      await em.flush();
      const shown = { room: await this.showRoom(em, room, user), new_members: added.map(u => u.username), added_by: user.username };
      return { result: shown, events: [toRoom(room.id, 'roomaddmembers.dispatch', shown, { ...shown, room: roomRef(room.id) })], groups: [{ roomId: room.id, join: added.map(u => u.id) }] };
    });
  }

  /** `room.remove_members`: removes users (and their admin or moderator role); nobody but the creator removes the creator. */
  async removeMembers(user: AbstractUser, data: unknown): Promise<ActionResult<Representation>> {
    const input = objectInput(data);
    const roomId = requiredId(input.room_id, 'room_id');
    const ids = idList(input.members, 'members');
    return this.inTransaction(async ({ em }) => {
      await lockRoom(em, roomId);
      const room = await this.permissions.manageMembers(em, user, roomId, 'remove');
      const users = await this.usersById(em, ids, 'members');
      const creatorId = (room as Partial<AbstractGroupChat>).creator?.id;
      const before = await memberIds(em, room);
      const removed = users.filter(u => before.includes(u.id) && !(u.id === creatorId && user.id !== creatorId));
      return this.removeFromRoom(em, room, removed, before, removed.map(u => u.id), {
        exit: `You have been removed by ${user.username}`,
        removedBy: user.username,
        actor: user,
      });
    });
  }

  /** Removes users from a room's members and privileged role, and says so (or that the room is gone). */
  protected async removeFromRoom(
    em: EntityManager,
    room: Room,
    removed: readonly AbstractUser[],
    before: readonly string[],
    told: readonly string[],
    wording: { exit: string; removedBy: string; actor: AbstractUser },
  ): Promise<ActionResult<Representation>> {
    await this.relation(room, membersOf(room)).init();
    const privileged = privilegedOf(room);
    if (privileged) await this.relation(room, privileged).init();
    for (const member of removed) {
      const mine = this.relation(room, membersOf(room)).getItems().find(u => u.id === member.id);
      if (mine) this.relation(room, membersOf(room)).remove(mine);
      const role = privileged && this.relation(room, privileged).getItems().find(u => u.id === member.id);
      if (role) this.relation(room, privileged!).remove(role);
    }
    await em.flush();
    const leaving = removed.map(u => u.id);
    await dropRoomNotifications(em, room.id, leaving);
    if (!(await em.findOne(Room, { id: room.id }))) {
      const shown = { room_id: room.id };
      return { result: shown, events: [toUsers(before, 'roomdelete.dispatch', shown)], groups: [{ roomId: room.id, leave: [...before] }] };
    }
    const shownRoom = await this.showRoom(em, room, wording.actor);
    const events: ChatEvent[] = told.filter(id => leaving.includes(id)).map(id => toUsers([id], 'roomexit.dispatch', { room: shownRoom, message: wording.exit }));
    const shown = { room: shownRoom, removed_members: removed.map(u => u.username), removed_by: wording.removedBy };
    events.push(toRoom(room.id, 'roomremovemembers.dispatch', shown, { ...shown, room: roomRef(room.id) }));
    return { result: shown, events, groups: [{ roomId: room.id, leave: leaving }] };
  }

  /** `room.join`: a public channel admits anyone; a private channel or a group asks for an admin. */
  async joinRoom(user: AbstractUser, data: unknown): Promise<ActionResult<Representation>> {
    const roomId = requiredId(objectInput(data).room_id, 'room_id');
    return this.inTransaction(async ({ em }) => {
      await lockRoom(em, roomId);
      const room = await this.permissions.loadRoom(em, roomId);
      const kind = kindOf(room);
      if (kind === 'group') throw ValidationFailed.rule('Ask an admin to add you to the group');
      if (kind !== 'channel') throw ValidationFailed.rule('You can only join a channel/group chat');
      if (!(room as unknown as { isPublic: boolean }).isPublic) throw ValidationFailed.rule('Channel is private, ask a moderator to add you to the channel');
      if (!(await isMember(em, room, user.id))) this.relation(room, 'subscribers').add(await this.usersById(em, [user.id], 'user'));
      await em.flush();
      const shown = { room: await this.showRoom(em, room, user), new_members: [user.username], added_by: 'self' };
      return { result: shown, events: [toRoom(room.id, 'roomaddmembers.dispatch', shown, { ...shown, room: roomRef(room.id) })], groups: [{ roomId: room.id, join: [user.id] }] };
    });
  }

  /** `room.leave`: the user leaves a group or channel; the last one out deletes it. */
  async leaveRoom(user: AbstractUser, data: unknown): Promise<ActionResult<Representation>> {
    const roomId = requiredId(objectInput(data).room_id, 'room_id');
    return this.inTransaction(async ({ em }) => {
      await lockRoom(em, roomId);
      const room = await this.permissions.roomAccess(em, user, roomId);
      const kind = kindOf(room);
      if (kind !== 'group' && kind !== 'channel') throw ValidationFailed.rule('You can only leave a channel/group chat');
      const before = await memberIds(em, room);
      const me = await this.usersById(em, [user.id], 'user');
      const name = (room as Partial<AbstractGroupChat>).name ?? '';
      const outcome = await this.removeFromRoom(em, room, me, before, [user.id], { exit: `You left ${name}`, removedBy: 'self', actor: user });
      if (outcome.events.some(e => e.eventType === 'roomdelete.dispatch')) {
        return { ...outcome, events: [toUsers([user.id], 'roomdelete.dispatch', { room_id: room.id })] };
      }
      return outcome;
    });
  }

  /** `room.modify`: update, delete, or change permissions, admins or moderators (see the permission rules). */
  async modifyRoom(user: AbstractUser, data: unknown): Promise<ActionResult<Representation>> {
    const input = objectInput(data);
    const roomId = requiredId(input.room_id, 'room_id');
    if (input.action === undefined || input.action === null || input.action === '') throw ValidationFailed.rule('Action must be provided');
    if (!(ADMIN_ACTIONS as readonly unknown[]).includes(input.action)) throw ValidationFailed.rule('Invalid action type');
    const action = input.action as RoomAdminAction;
    return this.inTransaction(async ({ em }) => {
      await lockRoom(em, roomId);
      const room = await this.permissions.administer(em, user, roomId, action);
      if (action === 'delete') {
        const members = await memberIds(em, room);
        em.remove(room);
        await em.flush();
        const shown = { room_id: room.id };
        return { result: shown, events: [toUsers(members, 'roomdelete.dispatch', shown)], groups: [{ roomId: room.id, leave: members }] };
      }
      const fields = input.data;
      if (fields === undefined || fields === null || (typeof fields === 'object' && Object.keys(fields).length === 0)) throw ValidationFailed.rule('data must be provided');
      const changes = objectInput(fields, 'data');
      if (action === 'update') await this.updateRoom(em, room, user, changes);
      else await this.changeRoles(em, room, action, changes);
      const shown = await this.showRoom(em, room, user);
      return { result: shown, events: [toRoom(room.id, 'roomupdate.dispatch', shown, roomRef(room.id))], groups: [] };
    });
  }

  /** Applies `room.modify` `update`: the type's own fields (name, description, locks, custom fields) and the property. */
  protected async updateRoom(em: EntityManager, room: Room, user: AbstractUser, changes: Record<string, unknown>): Promise<void> {
    const { property, ...fields } = changes;
    const type = PolymorphicRoomSerializer.typeOf(room);
    if (type && type !== 'OneToOneChat' && Object.keys(fields).length > 0) {
      const serializer = new PolymorphicRoomSerializer({ em, settings: this.settings, user }).serializerFor(type);
      await serializer.update(room, fields);
    }
    if (property !== undefined) await this.serializer('RoomPropertySerializer', em, user).update(room.property, objectInput(property, 'property'));
    await em.flush();
  }

  /** Applies the permission and role actions of `room.modify` to the members named in `users`. */
  protected async changeRoles(em: EntityManager, room: Room, action: Exclude<RoomAdminAction, 'update' | 'delete'>, changes: Record<string, unknown>): Promise<void> {
    const kind = kindOf(room);
    if (kind !== 'group' && kind !== 'channel') throw ValidationFailed.rule('Invalid action type');
    if (!changes.users) throw ValidationFailed.rule('User ids must be provided');
    if (!Array.isArray(changes.users)) throw ValidationFailed.rule('User ids must be a list/array');
    const creatorId = (room as AbstractGroupChat).creator.id;
    const current = new Set(await memberIds(em, room));
    // The creator's rights are not changed this way; non-members are ignored, as in the original.
    const targets = (await this.usersById(em, idList(changes.users, 'users'), 'users')).filter(u => u.id !== creatorId && current.has(u.id));
    if (action === 'add_permission' || action === 'remove_permission') {
      const given = changes.permission ?? changes.permissions;
      if (!given) throw ValidationFailed.rule('Permission to add or remove should be passed');
      if (!Array.isArray(given)) throw ValidationFailed.rule('Permission must be a list');
      const valid: readonly string[] = kind === 'group' ? GROUP_ADMIN_PERMISSIONS : CHANNEL_MODERATOR_PERMISSIONS;
      for (const codename of given) {
        if (!valid.includes(codename as string)) {
          throw ValidationFailed.rule(`Permission '${String(codename)}' is not a valid ${kind === 'group' ? 'group chat' : 'channel'} permission`);
        }
      }
      for (const member of targets) {
        for (const codename of new Set(given as string[])) {
          if (action === 'add_permission') await assignPermission(em, codename, member, room);
          else await removePermission(em, codename, member, room);
        }
      }
      return;
    }
    const wantsAdmins = action === 'add_admin' || action === 'remove_admin';
    if (wantsAdmins && kind !== 'group') throw ValidationFailed.rule('Room should be a group chat to modify the admins');
    if (!wantsAdmins && kind !== 'channel') throw ValidationFailed.rule('Room should be a channel to modify the moderators');
    const role = this.relation(room, wantsAdmins ? 'admins' : 'moderators');
    await role.init();
    for (const member of targets) {
      const existing = role.getItems().find(u => u.id === member.id);
      if (action.startsWith('add') && !existing) role.add(member);
      if (action.startsWith('remove') && existing) role.remove(existing);
    }
    await em.flush();
  }
}
