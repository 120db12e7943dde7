/** Broadcast channel: moderators post, subscribers read. */
import { Collection, Entity, ManyToMany, ManyToOne, Property, type Opt } from '@mikro-orm/core';
import { model } from '../swappable/registry.js';
import { Swappable } from '../swappable/swappable.js';
import { Room } from './room.js';
import type { AbstractUser } from './user.js';
import { membershipPivot } from './membership-pivots.js';

/** Object permissions a channel moderator holds on the channel. */
export const CHANNEL_MODERATOR_PERMISSIONS = ['can_add_new_subscribers', 'can_remove_subscribers', 'can_send_messages'] as const;

/** Base of the channel. */
@Entity({ abstract: true })
export abstract class AbstractChannel extends Room {
  @Property({ length: 64 })
  name!: string;

  @Property({ type: 'text', nullable: true })
  description?: string | null = null;

  @ManyToOne({ entity: () => model('User'), deleteRule: 'cascade' })
  creator!: AbstractUser;

  @ManyToMany({ entity: () => model('User'), ...membershipPivot('subscribers') })
  subscribers: Collection<AbstractUser> = new Collection<AbstractUser>(this);

  @ManyToMany({ entity: () => model('User'), ...membershipPivot('moderators') })
  moderators: Collection<AbstractUser> = new Collection<AbstractUser>(this);

  @Property({ type: 'boolean' })
  isPublic: Opt<boolean> = false;

  @Property({ type: 'text', nullable: true })
  avatar?: string | null = null;

  @Property({ type: 'integer' })
  maxSubscribers: Opt<number> = 300;
}

/** The default channel (swappable as `Channel`). */
@Swappable('Channel')
@Entity({ discriminatorValue: 'Channel' })
export class Channel extends AbstractChannel {}

declare module '../swappable/tokens.js' {
  interface SwapModelTypes {
    Channel: AbstractChannel;
  }
}
