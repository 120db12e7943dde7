/** Reading and extending a flush from a subscriber: new entities, collection diffs, extra deletions. */
import { ChangeSetType, wrap, type Collection, type EntityManager, type UnitOfWork } from '@mikro-orm/core';

/** What a to-many collection looks like after the flush, and what the flush adds and removes. */
export interface CollectionChange<T extends object = object> {
  readonly owner: object;
  readonly property: string;
  readonly added: T[];
  readonly removed: T[];
  readonly after: T[];
  /** Whether the owner itself is being created by this flush. */
  readonly ownerIsNew: boolean;
}

/** Whether an entity has never been stored (it is being created). */
export function isNew(entity: object): boolean {
  return wrap(entity, true).__originalEntityData === undefined;
}

function keyOf(entity: object): string {
  return String(wrap(entity, true).getSerializedPrimaryKey());
}

/**
 * The membership changes of the collections this flush writes, for owners `accepts` selects.
 * An uninitialised collection is loaded first, so the diff is against what is stored.
 */
export async function collectionChanges(
  uow: UnitOfWork,
  accepts: (owner: object, property: string) => boolean,
  created: readonly object[] = [],
): Promise<CollectionChange[]> {
  const changes: CollectionChange[] = [];
  const seen = new Set<Collection<object>>();
  for (const collection of uow.getCollectionUpdates() as Collection<object>[]) {
    if (!accepts(collection.owner, collection.property.name)) continue;
    seen.add(collection);
    changes.push(await diffOf(collection));
  }
  // A new owner whose collection was left empty is not in the updates, but its final state still counts.
  for (const owner of created) {
    for (const [property, value] of Object.entries(owner)) {
      if (!isCollection(value) || seen.has(value) || !accepts(owner, property)) continue;
      changes.push(await diffOf(value));
    }
  }
  return changes;
}

function isCollection(value: unknown): value is Collection<object> {
  return typeof value === 'object' && value !== null && 'getSnapshot' in value && 'owner' in value && 'property' in value;
}

async function diffOf(collection: Collection<object>): Promise<CollectionChange> {
  // Only the membership is needed, not the members: references with a key are enough.
  if (!collection.isInitialized()) await collection.init();
  const before = collection.getSnapshot() ?? [];
  const after = collection.getItems(false);
  const beforeKeys = new Set(before.map(keyOf));
  const afterKeys = new Set(after.map(keyOf));
  return {
    owner: collection.owner,
    property: collection.property.name,
    added: after.filter(item => !beforeKeys.has(keyOf(item))),
    removed: before.filter(item => !afterKeys.has(keyOf(item))) as object[],
    after: [...after],
    ownerIsNew: isNew(collection.owner),
  };
}

/** Entities this flush creates (onFlush: from the change sets). */
export function createdEntities(uow: UnitOfWork): object[] {
  return uow.getChangeSets().filter(cs => cs.type === ChangeSetType.CREATE).map(cs => cs.entity as object);
}

/** Entities this flush deletes (onFlush: from the change sets). */
export function deletedEntities(uow: UnitOfWork): object[] {
  return uow
    .getChangeSets()
    .filter(cs => cs.type === ChangeSetType.DELETE || cs.type === ChangeSetType.DELETE_EARLY)
    .map(cs => cs.entity as object);
}

/** Entities persisted but not yet stored (beforeFlush: from the persist stack). */
export function pendingNewEntities(uow: UnitOfWork): object[] {
  return [...uow.getPersistStack()].filter(entity => isNew(entity));
}

/**
 * Adds the deletion of `entity` (and what it cascades to) to a flush whose change sets are
 * already computed. `early` orders it before inserts, for a row being replaced under a unique key.
 */
export function removeInFlush(em: EntityManager, uow: UnitOfWork, entity: object, early = false): void {
  em.remove(entity);
  const planned = new Set(
    uow.getChangeSets().filter(cs => cs.type === ChangeSetType.DELETE || cs.type === ChangeSetType.DELETE_EARLY).map(cs => cs.entity),
  );
  for (const removed of uow.getRemoveStack()) {
    if (planned.has(removed)) continue;
    uow.computeChangeSet(removed, early && removed === entity ? ChangeSetType.DELETE_EARLY : ChangeSetType.DELETE);
  }
}
