/** Builds serializers the way the package does: the class the settings name, with a context. */
import type { EntityManager } from '@mikro-orm/core';
import type { AbstractUser, ChatSettings, ModelSerializer, SerializerName } from '../../src/index.js';

/** An instance of the serializer the settings register under `name`. */
export function serializerOf(settings: ChatSettings, name: SerializerName, em: EntityManager, user?: AbstractUser): ModelSerializer {
  const cls = settings.serializers[name];
  return new cls({ em, settings, user });
}
