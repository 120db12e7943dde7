/** Reading a property of MikroORM's metadata by its name, as the hand-built SQL and the serializers do. */
import type { EntityMetadata, EntityProperty } from '@mikro-orm/core';

/** The property `name` of an entity's metadata, or undefined when the class has none. */
export function propertyOf(meta: EntityMetadata, name: string): EntityProperty | undefined {
  // Metadata of an entity read at run time is keyed by any string; the class's own keys are not known here.
  const props: Partial<Record<string, EntityProperty>> = meta.properties;
  return props[name];
}
