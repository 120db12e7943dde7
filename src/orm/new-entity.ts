/**
 * A new entity of a configured class for a hand-built INSERT (see `entity-row.ts`): built the way
 * `em.create` builds one (its constructor runs, so the class's own defaults are there), without
 * the unit of work's bookkeeping, which a row that is never flushed does not need. `em.create`
 * is used where the class asks for more: constructor parameters, `onInit` listeners.
 */
import { EventType, ReferenceKind, type EntityClass, type EntityManager, type RequiredEntityData } from '@mikro-orm/core';

/** Per class: undefined when `em.create` is needed, else the properties plain assignment cannot fill (embeddables). */
type Plan = { readonly embedded: ReadonlySet<string> } | undefined;

const plans = new WeakMap<EntityManager['config'], WeakMap<Function, Plan>>();

/** How `entity` can be built (worked out once per class and configuration). */
function planOf(em: EntityManager, entity: Function): Plan {
  let classes = plans.get(em.config);
  if (!classes) plans.set(em.config, (classes = new WeakMap()));
  if (classes.has(entity)) return classes.get(entity);
  const meta = em.getMetadata().find(entity.name);
  const plain = !!meta && meta.constructorParams.length === 0 && !meta.forceConstructor && !meta.virtual && !em.getEventManager().hasListeners(EventType.onInit, meta);
  const plan = plain ? { embedded: new Set(meta.props.filter(prop => prop.kind === ReferenceKind.EMBEDDED).map(prop => prop.name)) } : undefined;
  classes.set(entity, plan);
  return plan;
}

/**
 * A new `entity` holding `data`: scalar values as they are given and relations as entities,
 * references or bare keys. Not managed: write it with `entityRow`.
 */
export function newEntity<T extends object>(em: EntityManager, entity: EntityClass<T>, data: RequiredEntityData<T>): T {
  const plan = planOf(em, entity);
  // An embeddable given as a plain object is made an instance of its class by `em.create`'s hydration.
  if (!plan || (plan.embedded.size > 0 && Object.keys(data).some(key => plan.embedded.has(key)))) return em.create(entity, data, { persist: false });
  // `planOf` found no constructor parameters in the metadata: the class takes none.
  const Class = entity as unknown as new () => T;
  return Object.assign(new Class(), data);
}
