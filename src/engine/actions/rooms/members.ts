/**
 * What the room actions share about members: the users an action names, a room's membership
 * collections, and taking members out of a room (removal and leaving).
 */
import type { Collection } from '@mikro-orm/core';
import { Room } from '../../../entities/room.js';
import type { AbstractUser } from '../../../entities/user.js';
import { ValidationFailed } from '../../../errors/chat-error.js';
import { membersOf, privilegedOf } from '../../../permissions/membership.js';
import type { Representation } from '../../../serializers/model-serializer.js';
import { model } from '../../../swappable/registry.js';
import type { EngineContext } from '../../context.js';
import { toRoom, toUsers, type ActionResult, type ChatEvent } from '../../events.js';
import { roomRef } from '../../log-refs.js';
import { dropRoomNotifications } from '../../notifications.js';
import { showRoom } from '../show.js';

/** A membership relation of some room type. */
export type MemberRelation = 'participants' | 'subscribers' | 'admins' | 'moderators';

/** The users with these ids, in that order (all must exist: an unknown one is a field error on `field`). */
export async function usersById(ctx: EngineContext, ids: readonly string[], field: string): Promise<AbstractUser[]> {
  if (ids.length === 0) return [];
  const users = await ctx.em.find(model('User'), { id: { $in: [...ids] } });
  const missing = ids.filter(id => !users.some(u => u.id === id));
  if (missing.length > 0) throw ValidationFailed.fromFields({ [field]: [`Unknown users: ${missing.join(', ')}`] });
  return ids.map(id => users.find(u => u.id === id)!);
}

/** A membership collection of a room; the caller names one its type has (see `membersOf`, `privilegedOf`). */
export function relation(room: Room, name: MemberRelation): Collection<AbstractUser> {
  // `Room` declares none of them: each room type declares its own, so the name is checked by the caller.
  return (room as unknown as Record<MemberRelation, Collection<AbstractUser>>)[name];
}

/** How a removal is worded to the removed and to the room. */
export interface RemovalWording {
  /** What each removed user is told (`roomexit.dispatch`). */
  readonly exit: string;
  /** Who removed them, as the room is told (`removed_by`). */
  readonly removedBy: string;
}

/**
 * Removes users from a room's members and privileged role, and says so: `roomexit.dispatch` to
 * those of `told` who left, `roomremovemembers.dispatch` to the room; or, when the room is gone
 * with its last member, `roomdelete.dispatch` to everyone who was in it (`before`).
 */
export async function removeFromRoom(
  ctx: EngineContext,
  room: Room,
  removed: readonly AbstractUser[],
  before: readonly string[],
  told: readonly string[],
  wording: RemovalWording,
): Promise<ActionResult<Representation>> {
  const { em } = ctx;
  const members = relation(room, membersOf(room));
  await members.init();
  const privilegedName = privilegedOf(room);
  const privileged = privilegedName && relation(room, privilegedName);
  if (privileged) await privileged.init();
  for (const member of removed) {
    const mine = members.getItems().find(u => u.id === member.id);
    if (mine) members.remove(mine);
    const role = privileged && privileged.getItems().find(u => u.id === member.id);
    if (role) privileged.remove(role);
  }
  await em.flush();
  const leaving = removed.map(u => u.id);
  await dropRoomNotifications(em, room.id, leaving);
  if (!(await em.findOne(Room, { id: room.id }))) {
    const shown = { room_id: room.id };
    return { result: shown, events: [toUsers(before, 'roomdelete.dispatch', shown)], groups: [{ roomId: room.id, leave: [...before] }] };
  }
  const shownRoom = await showRoom(ctx, room);
  const events: ChatEvent[] = told.filter(id => leaving.includes(id)).map(id => toUsers([id], 'roomexit.dispatch', { room: shownRoom, message: wording.exit }));
  const shown = { room: shownRoom, removed_members: removed.map(u => u.username), removed_by: wording.removedBy };
  events.push(toRoom(room.id, 'roomremovemembers.dispatch', shown, { ...shown, room: roomRef(room.id) }));
  return { result: shown, events, groups: [{ roomId: room.id, leave: leaving }] };
}
