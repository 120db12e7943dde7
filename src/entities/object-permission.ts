/** Object-level permissions (what django-guardian stores): user × codename × object. Never swappable. */
import { BigIntType, Entity, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { model } from '../swappable/registry.js';
import type { AbstractUser } from './user.js';

/** One granted permission of one user on one object. */
@Entity({ tableName: 'chat_object_permission' })
@Unique({ properties: ['user', 'codename', 'objectType', 'objectId'] })
@Index({ properties: ['objectType', 'objectId'] })
export class ObjectPermission {
  @PrimaryKey({ type: new BigIntType('number'), autoincrement: true })
  id!: number;

  @ManyToOne({ entity: () => model('User'), deleteRule: 'cascade' })
  user!: AbstractUser;

  /** The permission, e.g. `can_add_new_participants`. */
  @Property({ length: 100 })
  codename!: string;

  /** The root entity of the object, e.g. `Room`. */
  @Property({ length: 64 })
  objectType!: string;

  /** The object's primary key, as text. */
  @Property({ length: 64 })
  objectId!: string;
}
