/**
 * The role actions of `room.modify`: object permissions (`add_permission`, `remove_permission`)
 * and the admins of a group or the moderators of a channel. The creator's rights are not changed
 * this way, and users who are not members are ignored, as in the original.
 */
import { AbstractChannel, CHANNEL_MODERATOR_PERMISSIONS } from '../../../entities/channel.js';
import { AbstractGroupChat, GROUP_ADMIN_PERMISSIONS } from '../../../entities/group-chat.js';
import type { Room } from '../../../entities/room.js';
import { ValidationFailed } from '../../../errors/chat-error.js';
import { memberIds } from '../../../permissions/membership.js';
import { assignPermission, removePermission } from '../../../permissions/object-permissions.js';
import type { RoomAdminAction } from '../../../permissions/permission-handler.js';
import type { EngineContext } from '../../context.js';
import { idList } from '../../input.js';
import { relation, usersById } from './members.js';

/** A role action of `room.modify`. */
export type RoleAction = Exclude<RoomAdminAction, 'update' | 'delete'>;

/** Applies a role action to the members named in `changes.users`. */
export async function changeRoles(ctx: EngineContext, room: Room, action: RoleAction, changes: Record<string, unknown>): Promise<void> {
  const { em } = ctx;
  if (!(room instanceof AbstractGroupChat || room instanceof AbstractChannel)) throw ValidationFailed.rule('Invalid action type');
  const kind = room instanceof AbstractGroupChat ? 'group' : 'channel';
  if (!changes.users) throw ValidationFailed.rule('User ids must be provided');
  if (!Array.isArray(changes.users)) throw ValidationFailed.rule('User ids must be a list/array');
  const creatorId = room.creator.id;
  const current = new Set(await memberIds(em, room));
  const targets = (await usersById(ctx, idList(changes.users, 'users'), 'users')).filter(u => u.id !== creatorId && current.has(u.id));
  if (action === 'add_permission' || action === 'remove_permission') {
    const given = changes.permission ?? changes.permissions;
    if (!given) throw ValidationFailed.rule('Permission to add or remove should be passed');
    if (!Array.isArray(given)) throw ValidationFailed.rule('Permission must be a list');
    const valid: readonly unknown[] = kind === 'group' ? GROUP_ADMIN_PERMISSIONS : CHANNEL_MODERATOR_PERMISSIONS;
    for (const codename of given) {
      if (!valid.includes(codename)) {
        throw ValidationFailed.rule(`Permission '${String(codename)}' is not a valid ${kind === 'group' ? 'group chat' : 'channel'} permission`);
      }
    }
    for (const member of targets) {
      for (const codename of new Set<string>(given)) {
        if (action === 'add_permission') await assignPermission(em, codename, member, room);
        else await removePermission(em, codename, member, room);
      }
    }
    return;
  }
  const wantsAdmins = action === 'add_admin' || action === 'remove_admin';
  if (wantsAdmins && kind !== 'group') throw ValidationFailed.rule('Room should be a group chat to modify the admins');
  if (!wantsAdmins && kind !== 'channel') throw ValidationFailed.rule('Room should be a channel to modify the moderators');
  const role = relation(room, wantsAdmins ? 'admins' : 'moderators');
  await role.init();
  for (const member of targets) {
    const existing = role.getItems().find(u => u.id === member.id);
    if (action.startsWith('add') && !existing) role.add(member);
    if (action.startsWith('remove') && existing) role.remove(existing);
  }
  await em.flush();
}
