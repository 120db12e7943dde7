/** Group chat with admins, a member limit and an optional lock (only admins send). */
import { Collection, Entity, ManyToMany, ManyToOne, Property, type Opt } from '@mikro-orm/core';
import { model } from '../swappable/registry.js';
import { Swappable } from '../swappable/swappable.js';
import { Room } from './room.js';
import type { AbstractUser } from './user.js';
import { membershipPivot } from './membership-pivots.js';

/** Object permissions a group admin holds on the group. */
export const GROUP_ADMIN_PERMISSIONS = ['can_add_new_participants', 'can_remove_participants'] as const;

/** Base of the group chat. */
@Entity({ abstract: true })
export abstract class AbstractGroupChat extends Room {
  @Property({ length: 64 })
  name!: string;

  @Property({ type: 'text', nullable: true })
  description?: string | null = null;

  @ManyToOne({ entity: () => model('User'), deleteRule: 'cascade' })
  creator!: AbstractUser;

  @ManyToMany({ entity: () => model('User'), ...membershipPivot('participants') })
  participants: Collection<AbstractUser> = new Collection<AbstractUser>(this);

  @ManyToMany({ entity: () => model('User'), ...membershipPivot('admins') })
  admins: Collection<AbstractUser> = new Collection<AbstractUser>(this);

  @Property({ type: 'integer' })
  maxParticipants: Opt<number> = 100;

  @Property({ type: 'text', nullable: true })
  avatar?: string | null = null;

  @Property({ type: 'boolean' })
  joinApprovalRequired: Opt<boolean> = false;

  /** When true only the creator and admins may send. */
  @Property({ type: 'boolean' })
  groupLocked: Opt<boolean> = false;
}

/** The default group chat (swappable as `GroupChat`). */
@Swappable('GroupChat')
@Entity({ discriminatorValue: 'GroupChat' })
export class GroupChat extends AbstractGroupChat {}

declare module '../swappable/tokens.js' {
  interface SwapModelTypes {
    GroupChat: AbstractGroupChat;
  }
}
