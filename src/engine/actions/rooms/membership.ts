/**
 * Changing who is in a room: `room.add_members` and `room.remove_members` (by those who manage
 * the room), `room.join` and `room.leave` (by the user). Each locks the room's row first, so
 * member limits and the last member out hold under concurrent requests.
 */
import { AbstractChannel } from '../../../entities/channel.js';
import { AbstractGroupChat } from '../../../entities/group-chat.js';
import { ValidationFailed } from '../../../errors/chat-error.js';
import { creatorIdOf, isMember, memberIds, membersOf } from '../../../permissions/membership.js';
import type { Representation } from '../../../serializers/model-serializer.js';
import type { EngineContext } from '../../context.js';
import { toRoom, toUsers, type ActionResult } from '../../events.js';
import { idList, objectInput, requiredId } from '../../input.js';
import { roomRef } from '../../log-refs.js';
import { lockRoom } from '../../row-locks.js';
import { showRoom } from '../show.js';
import { relation, removeFromRoom, usersById } from './members.js';

/** `room.add_members`: adds users to a group or channel. */
export async function addMembers(ctx: EngineContext, data: unknown): Promise<ActionResult<Representation>> {
  const input = objectInput(data);
  const roomId = requiredId(input.room_id, 'room_id');
  const ids = idList(input.members, 'members');
  return ctx.transaction(async tx => {
    const { em, user } = tx;
    await lockRoom(em, roomId);
    const room = await tx.permissions.manageMembers(em, user, roomId, 'add_new');
    const users = await usersById(tx, ids, 'members');
    const current = new Set(await memberIds(em, room));
    const added = users.filter(u => !current.has(u.id));
    if (added.length > 0) relation(room, membersOf(room)).add(added);
    await em.flush();
    const shown = { room: await showRoom(tx, room), new_members: added.map(u => u.username), added_by: user.username };
    return { result: shown, events: [toRoom(room.id, 'roomaddmembers.dispatch', shown, { ...shown, room: roomRef(room.id) })], groups: [{ roomId: room.id, join: added.map(u => u.id) }] };
  });
}

/** `room.remove_members`: removes users (and their admin or moderator role); nobody but the creator removes the creator. */
export async function removeMembers(ctx: EngineContext, data: unknown): Promise<ActionResult<Representation>> {
  const input = objectInput(data);
  const roomId = requiredId(input.room_id, 'room_id');
  const ids = idList(input.members, 'members');
  return ctx.transaction(async tx => {
    const { em, user } = tx;
    await lockRoom(em, roomId);
    const room = await tx.permissions.manageMembers(em, user, roomId, 'remove');
    const users = await usersById(tx, ids, 'members');
    const creatorId = creatorIdOf(room);
    const before = await memberIds(em, room);
    const removed = users.filter(u => before.includes(u.id) && !(u.id === creatorId && user.id !== creatorId));
    return removeFromRoom(tx, room, removed, before, removed.map(u => u.id), { exit: `You have been removed by ${user.username}`, removedBy: user.username });
  });
}

/** `room.join`: a public channel admits anyone; a private channel or a group asks for an admin. */
export async function joinRoom(ctx: EngineContext, data: unknown): Promise<ActionResult<Representation>> {
  const roomId = requiredId(objectInput(data).room_id, 'room_id');
  return ctx.transaction(async tx => {
    const { em, user } = tx;
    await lockRoom(em, roomId);
    const room = await tx.permissions.loadRoom(em, roomId);
    if (room instanceof AbstractGroupChat) throw ValidationFailed.rule('Ask an admin to add you to the group');
    if (!(room instanceof AbstractChannel)) throw ValidationFailed.rule('You can only join a channel/group chat');
    if (!room.isPublic) throw ValidationFailed.rule('Channel is private, ask a moderator to add you to the channel');
    if (!(await isMember(em, room, user.id))) relation(room, 'subscribers').add(await usersById(tx, [user.id], 'user'));
    await em.flush();
    const shown = { room: await showRoom(tx, room), new_members: [user.username], added_by: 'self' };
    return { result: shown, events: [toRoom(room.id, 'roomaddmembers.dispatch', shown, { ...shown, room: roomRef(room.id) })], groups: [{ roomId: room.id, join: [user.id] }] };
  });
}

/** `room.leave`: the user leaves a group or channel; the last one out deletes it. */
export async function leaveRoom(ctx: EngineContext, data: unknown): Promise<ActionResult<Representation>> {
  const roomId = requiredId(objectInput(data).room_id, 'room_id');
  return ctx.transaction(async tx => {
    const { em, user } = tx;
    await lockRoom(em, roomId);
    const room = await tx.permissions.roomAccess(em, user, roomId);
    if (!(room instanceof AbstractGroupChat || room instanceof AbstractChannel)) throw ValidationFailed.rule('You can only leave a channel/group chat');
    const before = await memberIds(em, room);
    const me = await usersById(tx, [user.id], 'user');
    const name = room.name ?? '';
    const outcome = await removeFromRoom(tx, room, me, before, [user.id], { exit: `You left ${name}`, removedBy: 'self' });
    if (outcome.events.some(e => e.eventType === 'roomdelete.dispatch')) {
      return { ...outcome, events: [toUsers([user.id], 'roomdelete.dispatch', { room_id: room.id })] };
    }
    return outcome;
  });
}
