/**
 * A new entity of a configured class for a hand-built INSERT (see `entity-row.ts`): built the way
 * `em.create` builds one (its constructor runs, so the class's own defaults are there), without
 * the unit of work's bookkeeping, which a row that is never flushed does not need. `em.create`
 * is used where the class asks for more: constructor parameters, `onInit` listeners.
 */
import { EventType, type EntityClass, type EntityManager, type RequiredEntityData } from '@mikro-orm/core';

const light = new WeakMap<EntityManager['config'], WeakMap<Function, boolean>>();

/** Whether `entity` can be built by its constructor and plain assignment (checked once per class). */
function constructible(em: EntityManager, entity: Function): boolean {
  let classes = light.get(em.config);
  if (!classes) light.set(em.config, (classes = new WeakMap()));
  let known = classes.get(entity);
  if (known === undefined) {
    const meta = em.getMetadata().find(entity.name);
    known = !!meta && meta.constructorParams.length === 0 && !meta.forceConstructor && !meta.virtual && !em.getEventManager().hasListeners(EventType.onInit, meta);
    classes.set(entity, known);
  }
  return known;
}

/**
 * A new `entity` holding `data`: scalar values as they are given and relations as entities,
 * references or bare keys. Not managed: write it with `entityRow`.
 */
export function newEntity<T extends object>(em: EntityManager, entity: EntityClass<T>, data: RequiredEntityData<T>): T {
  if (!constructible(em, entity)) return em.create(entity, data, { persist: false });
  // `constructible` found no constructor parameters in the metadata: the class takes none.
  const Class = entity as unknown as new () => T;
  return Object.assign(new Class(), data);
}
