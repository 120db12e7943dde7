/**
 * `room.modify`: a room's administration, as the permission rules allow it: `update` its fields,
 * `delete` it, or change permissions, admins and moderators (see `room-roles.ts`).
 */
import type { Room } from '../../../entities/room.js';
import { ValidationFailed } from '../../../errors/chat-error.js';
import { memberIds } from '../../../permissions/membership.js';
import type { RoomAdminAction } from '../../../permissions/permission-handler.js';
import type { Representation } from '../../../serializers/model-serializer.js';
import { PolymorphicRoomSerializer } from '../../../serializers/polymorphic.js';
import type { EngineContext } from '../../context.js';
import { toRoom, toUsers, type ActionResult } from '../../events.js';
import { objectInput, requiredId } from '../../input.js';
import { roomRef } from '../../log-refs.js';
import { lockRoom } from '../../row-locks.js';
import { showRoom } from '../show.js';
import { changeRoles } from './room-roles.js';

const ADMIN_ACTIONS = ['delete', 'update', 'add_permission', 'remove_permission', 'add_moderator', 'add_admin', 'remove_moderator', 'remove_admin'] as const satisfies readonly RoomAdminAction[];

function isAdminAction(value: unknown): value is RoomAdminAction {
  return ADMIN_ACTIONS.some(action => action === value);
}

/** `room.modify` (see the module's comment). */
export async function modifyRoom(ctx: EngineContext, data: unknown): Promise<ActionResult<Representation>> {
  const input = objectInput(data);
  const roomId = requiredId(input.room_id, 'room_id');
  const action = input.action;
  if (action === undefined || action === null || action === '') throw ValidationFailed.rule('Action must be provided');
  if (!isAdminAction(action)) throw ValidationFailed.rule('Invalid action type');
  return ctx.transaction(async tx => {
    const { em, user } = tx;
    await lockRoom(em, roomId);
    const room = await tx.permissions.administer(em, user, roomId, action);
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
    if (action === 'update') await updateRoom(tx, room, changes);
    else await changeRoles(tx, room, action, changes);
    const shown = await showRoom(tx, room);
    return { result: shown, events: [toRoom(room.id, 'roomupdate.dispatch', shown, roomRef(room.id))], groups: [] };
  });
}

/** Applies `room.modify` `update`: the type's own fields (name, description, locks, custom fields) and the property. */
async function updateRoom(ctx: EngineContext, room: Room, changes: Record<string, unknown>): Promise<void> {
  const { em, user, settings } = ctx;
  const { property, ...fields } = changes;
  const type = PolymorphicRoomSerializer.typeOf(room);
  if (type && type !== 'OneToOneChat' && Object.keys(fields).length > 0) {
    const serializer = new PolymorphicRoomSerializer({ em, settings, user }).serializerFor(type);
    await serializer.update(room, fields);
  }
  if (property !== undefined) await ctx.serializer('RoomPropertySerializer').update(room.property, objectInput(property, 'property'));
  await em.flush();
}
