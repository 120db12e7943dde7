/** Private chat between exactly two users. */
import { Collection, Entity, ManyToMany, Property } from '@mikro-orm/core';
import { model } from '../swappable/registry.js';
import { Swappable } from '../swappable/swappable.js';
import { Room } from './room.js';
import type { AbstractUser } from './user.js';
import { membershipPivot } from './membership-pivots.js';

/** Base of the one-to-one chat: two participants, one room per pair. */
@Entity({ abstract: true })
export abstract class AbstractOneToOneChat extends Room {
  @ManyToMany({ entity: () => model('User'), ...membershipPivot('participants') })
  participants: Collection<AbstractUser> = new Collection<AbstractUser>(this);

  /** The two participant ids, sorted and joined: unique, so a pair has one chat even under concurrent creation. Not shown to clients. */
  @Property({ type: 'string', length: 80, nullable: true, unique: true, hidden: true })
  pairKey?: string | null = null;
}

/** The default one-to-one chat (swappable as `OneToOneChat`). */
@Swappable('OneToOneChat')
@Entity({ discriminatorValue: 'OneToOneChat' })
export class OneToOneChat extends AbstractOneToOneChat {}

declare module '../swappable/tokens.js' {
  interface SwapModelTypes {
    OneToOneChat: AbstractOneToOneChat;
  }
}
