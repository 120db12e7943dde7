/** How an object is named in the permission table: its root entity name and its primary key as text. */
import { wrap } from '@mikro-orm/core';

/** The permission-table key of an object. */
export interface ObjectKey {
  readonly objectType: string;
  readonly objectId: string;
}

/** The key of an entity: rooms of every type share `Room`, so a swapped room type keeps its grants. */
export function objectKeyOf(entity: object): ObjectKey {
  const wrapped = wrap(entity, true);
  return { objectType: wrapped.__meta.root.className, objectId: String(wrapped.getPrimaryKey()) };
}
