/** Reactions: one per user per message; a new one replaces the old (see the reaction signal). */
import { Check, Entity, ManyToOne, PrimaryKey, Property, Unique, type Opt } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { model } from '../swappable/registry.js';
import { Swappable } from '../swappable/swappable.js';
import type { AbstractMessage } from './message.js';
import type { AbstractUser } from './user.js';

/** Base of the reaction. */
@Entity({ abstract: true })
@Unique({ properties: ['message', 'user'] })
@Check({ name: 'reaction_content_not_empty', expression: "reaction_content <> ''" })
export abstract class AbstractReaction {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => model('Message'), deleteRule: 'cascade' })
  message!: AbstractMessage;

  @ManyToOne({ entity: () => model('User'), deleteRule: 'cascade' })
  user!: AbstractUser;

  @Property({ length: 128 })
  reactionContent!: string;

  @Property({ type: 'datetime' })
  createdAt: Opt<Date> = new Date();
}

/** The default reaction (swappable as `Reaction`). */
@Swappable('Reaction')
@Entity({ tableName: 'chat_reaction' })
export class Reaction extends AbstractReaction {}

declare module '../swappable/tokens.js' {
  interface SwapModelTypes {
    Reaction: AbstractReaction;
  }
}
