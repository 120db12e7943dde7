/** What a serializer works with: the entity manager, the settings and the acting user. */
import type { EntityManager } from '@mikro-orm/core';
import type { AbstractUser } from '../entities/user.js';
import type { ChatSettings } from '../settings/types.js';

/** The context every serializer instance is created with. */
export interface SerializerContext {
  /** The entity manager reads and writes go through (a request-scoped fork). */
  readonly em: EntityManager;
  /** The active settings: they name the serializer class behind each serializer name. */
  readonly settings: ChatSettings;
  /** The acting user, when there is one (e.g. to pick the peer of a one-to-one chat). */
  readonly user?: AbstractUser;
  /** How deep in nested serialization this serializer is; recursion stops at `maxDepth`. */
  readonly depth?: number;
}
