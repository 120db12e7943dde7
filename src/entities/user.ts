/** The chat user: `AbstractUser` for custom user entities, `User` as the default. */
import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Swappable } from '../swappable/swappable.js';

/** Base of every user entity the package can work with: a UUID and a unique username. */
@Entity({ abstract: true })
export abstract class AbstractUser {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ length: 150, unique: true })
  username!: string;
}

/** The default user (swappable as `User`). */
@Swappable('User')
@Entity({ tableName: 'chat_user' })
export class User extends AbstractUser {
  @Property({ type: 'string', length: 254, nullable: true })
  email?: string | null = null;

  @Property({ type: 'string', length: 150, nullable: true })
  firstName?: string | null = null;

  @Property({ type: 'string', length: 150, nullable: true })
  lastName?: string | null = null;
}

declare module '../swappable/tokens.js' {
  interface SwapModelTypes {
    User: AbstractUser;
  }
}
