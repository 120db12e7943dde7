/** Sessions: one row per live connection (device); heartbeats refresh `lastSeen`. */
import { BigIntType, Entity, ManyToOne, PrimaryKey, Property, type Opt } from '@mikro-orm/core';
import { model } from '../swappable/registry.js';
import { Swappable } from '../swappable/swappable.js';
import type { AbstractUser } from './user.js';

/** Base of the session. */
@Entity({ abstract: true })
export abstract class AbstractSession {
  @PrimaryKey({ type: new BigIntType('number'), autoincrement: true })
  id!: number;

  @ManyToOne({ entity: () => model('User'), deleteRule: 'cascade' })
  user!: AbstractUser;

  /** The connection this session belongs to. */
  @Property({ length: 255 })
  channelName!: string;

  @Property({ type: 'datetime' })
  lastSeen: Opt<Date> = new Date();
}

/** The default session (swappable as `Session`). */
@Swappable('Session')
@Entity({ tableName: 'chat_session' })
export class Session extends AbstractSession {}

declare module '../swappable/tokens.js' {
  interface SwapModelTypes {
    Session: AbstractSession;
  }
}
