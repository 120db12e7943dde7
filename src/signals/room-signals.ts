/** Signals of the room types: property auto-creation, creator membership, member limits, empty rooms, admin permissions. */
import { wrap, type FlushEventArgs } from '@mikro-orm/core';
import { AbstractChannel, CHANNEL_MODERATOR_PERMISSIONS } from '../entities/channel.js';
import { AbstractGroupChat, GROUP_ADMIN_PERMISSIONS } from '../entities/group-chat.js';
import { Channel } from '../entities/channel.js';
import { GroupChat } from '../entities/group-chat.js';
import { OneToOneChat } from '../entities/one-to-one-chat.js';
import type { Room } from '../entities/room.js';
import type { AbstractUser } from '../entities/user.js';
import { ValidationFailed } from '../errors/chat-error.js';
import { grantInFlush, revokeInFlush } from '../permissions/flush-permissions.js';
import { model } from '../swappable/registry.js';
import { ChatSignal } from './chat-signal.js';
import { collectionChanges, createdEntities, pendingNewEntities, removeInFlush } from './flush-changes.js';

/** The member collection of a room type: participants of a group, subscribers of a channel. */
function membersProperty(room: object): 'participants' | 'subscribers' | undefined {
  if (room instanceof AbstractGroupChat) return 'participants';
  if (room instanceof AbstractChannel) return 'subscribers';
  return undefined;
}

/** The privileged collection of a room type and the permissions it carries. */
function privilegedRole(room: object): { property: 'admins' | 'moderators'; permissions: readonly string[] } | undefined {
  if (room instanceof AbstractGroupChat) return { property: 'admins', permissions: GROUP_ADMIN_PERMISSIONS };
  if (room instanceof AbstractChannel) return { property: 'moderators', permissions: CHANNEL_MODERATOR_PERMISSIONS };
  return undefined;
}

/** Every room gets its RoomProperty (of the configured class) when it is first saved without one. */
export class CreateRoomPropertySignal extends ChatSignal {
  readonly name = 'createRoomProperty';
  readonly description = 'creates the RoomProperty of a new room that has none';

  async beforeFlush({ em, uow }: FlushEventArgs): Promise<void> {
    for (const entity of pendingNewEntities(uow)) {
      const room = entity as Room;
      if (!this.handles(room) || room.property) continue;
      room.property = em.create(model('RoomProperty'), {});
    }
  }
}

/** The creator of a new group (channel) becomes participant and admin (subscriber and moderator), with the permissions of the role. */
export class AddCreatorAsMemberSignal extends ChatSignal {
  readonly name = 'addCreatorAsMember';
  readonly description = 'adds the creator of a new group or channel as member and admin/moderator and grants the permissions';

  async beforeFlush({ em, uow }: FlushEventArgs): Promise<void> {
    for (const entity of pendingNewEntities(uow)) {
      const members = membersProperty(entity);
      const role = privilegedRole(entity);
      if (!this.handles(entity) || !members || !role) continue;
      const room = entity as AbstractGroupChat & AbstractChannel;
      if (!room.creator) continue;
      room[members].add(room.creator);
      room[role.property].add(room.creator);
      await grantInFlush(em, uow, 'beforeFlush', [room.creator], role.permissions, room);
    }
  }
}

/** Adding members past `maxParticipants` / `maxSubscribers` fails, and nothing of the flush is written. */
export class EnforceMemberLimitsSignal extends ChatSignal {
  readonly name = 'enforceMemberLimits';
  readonly description = 'refuses to add members past maxParticipants / maxSubscribers';

  async onFlush({ uow }: FlushEventArgs): Promise<void> {
    const changes = await collectionChanges(uow, (owner, property) => this.handles(owner) && property === membersProperty(owner));
    for (const change of changes) {
      if (change.added.length === 0) continue;
      if (change.owner instanceof AbstractGroupChat && change.after.length > change.owner.maxParticipants) {
        throw ValidationFailed.rule('Maximum number of group participants exceeded');
      }
      if (change.owner instanceof AbstractChannel && change.after.length > change.owner.maxSubscribers) {
        throw ValidationFailed.rule('Maximum number of channel subscribers exceeded');
      }
    }
  }
}

/** Removing the last member of a group or channel deletes the room. */
export class DeleteEmptyRoomsSignal extends ChatSignal {
  readonly name = 'deleteEmptyRooms';
  readonly description = 'deletes a group or channel when its last member is removed';

  async onFlush({ em, uow }: FlushEventArgs): Promise<void> {
    const changes = await collectionChanges(uow, (owner, property) => this.handles(owner) && property === membersProperty(owner));
    for (const change of changes) {
      if (change.removed.length > 0 && change.after.length === 0 && !change.ownerIsNew) removeInFlush(em, uow, change.owner);
    }
  }
}

/** Becoming admin (moderator) grants the role's permissions; ceasing to be one revokes them. */
export class SyncAdminPermissionsSignal extends ChatSignal {
  readonly name = 'syncAdminPermissions';
  readonly description = 'grants and revokes the admin/moderator permissions as the admins/moderators change';

  async onFlush({ em, uow }: FlushEventArgs): Promise<void> {
    const changes = await collectionChanges(uow, (owner, property) => this.handles(owner) && property === privilegedRole(owner)?.property);
    for (const change of changes) {
      const role = privilegedRole(change.owner)!;
      await grantInFlush(em, uow, 'onFlush', change.added as AbstractUser[], role.permissions, change.owner);
      await revokeInFlush(em, uow, change.removed as AbstractUser[], role.permissions, change.owner);
    }
  }
}

/** A one-to-one chat has exactly two participants, and a pair of users has at most one. */
export class EnforceOneToOneParticipantsSignal extends ChatSignal {
  readonly name = 'enforceOneToOneParticipants';
  readonly description = 'keeps exactly two participants in a one-to-one chat and one chat per pair';

  async onFlush({ em, uow }: FlushEventArgs): Promise<void> {
    const created = createdEntities(uow).filter(entity => this.handles(entity));
    const changes = await collectionChanges(uow, (owner, property) => this.handles(owner) && property === 'participants', created);
    for (const change of changes) {
      if (change.after.length !== 2) throw ValidationFailed.rule('A one to one chat can only have 2 participants');
      if (change.added.length === 0) continue;
      const [a, b] = change.after.map(user => String((user as AbstractUser).id)).sort();
      const room = change.owner as Room & { pairKey?: string | null };
      const existing = await em.getConnection().execute<{ room_id: string }[]>(
        `select p1.room_id from chat_room_participants p1
           join chat_room_participants p2 on p2.room_id = p1.room_id
           join chat_room r on r.id = p1.room_id
          where p1.user_id = ? and p2.user_id = ? and r.type = ? and p1.room_id <> ?
          limit 1`,
        [a, b, wrap(room, true).__meta.discriminatorValue, room.id],
        'all',
        em.getTransactionContext(),
      );
      if (existing.length > 0) throw ValidationFailed.rule('Chat already exists');
      // The unique pair key makes the database refuse a second chat for the pair even under concurrent creation.
      room.pairKey = `${a}:${b}`;
      if (uow.getChangeSets().some(cs => cs.entity === room)) uow.recomputeSingleChangeSet(room);
      else uow.computeChangeSet(room);
    }
  }
}

/** Default senders of the room signals. */
export const DEFAULT_ROOM_CLASSES = { OneToOneChat, GroupChat, Channel } as const;
