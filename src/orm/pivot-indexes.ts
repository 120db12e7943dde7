/**
 * An index on the user side of each pivot table of the package's relations (room membership,
 * notification recipients, deliveries).
 *
 * PostgreSQL indexes neither side of a foreign key by itself, and MikroORM indexes pivot columns
 * only on platforms that need it; a pivot's primary key leads with its owner. Without this index,
 * "the rooms of a user" (read on every connect), "a user's pending notifications" and the cascade
 * when a user is deleted each read the whole table: connect cost would grow with every membership
 * and every pending notification of everybody.
 */
import { ReferenceKind, type EntityMetadata, type MetadataStorage } from '@mikro-orm/core';
import { Room } from '../entities/room.js';
import { AbstractMessage } from '../entities/message.js';
import { AbstractChatNotification } from '../entities/chat-notification.js';

/** The package's classes that own pivot tables; subclasses (custom models) own them the same way. */
const PIVOT_OWNERS: readonly Function[] = [Room, AbstractMessage, AbstractChatNotification];

function ownsPackagePivots(meta: EntityMetadata): boolean {
  const cls = meta.class as Function | undefined;
  return cls !== undefined && PIVOT_OWNERS.some(base => cls === base || cls.prototype instanceof base);
}

/** Adds an index on the target (user) column to each pivot of the package's relations; run after discovery. */
export function indexPivotTargets(storage: MetadataStorage): void {
  for (const meta of Object.values(storage.getAll())) {
    if (meta.abstract || !ownsPackagePivots(meta)) continue;
    for (const prop of meta.relations) {
      if (prop.kind !== ReferenceKind.MANY_TO_MANY || !prop.owner || !prop.pivotEntity) continue;
      const pivot = storage.find(prop.pivotEntity);
      if (!pivot) continue;
      // The pivot's two references: to the owner, then to the target (MikroORM keeps that order).
      const [, target] = Object.values(pivot.properties).filter(p => p.kind === ReferenceKind.MANY_TO_ONE);
      if (!target) continue;
      // The user column alone: its entries go in heap order, to the end of each user's run, so a
      // notification for 99 recipients touches their 99 last pages (hot in cache). An index on
      // (user, owner) would put each entry at a random place within the run: measured a quarter
      // more database CPU per sent message.
      const properties = [target.name];
      const known = pivot.indexes.some(index => [index.properties].flat().join() === properties.join());
      if (!known) pivot.indexes.push({ properties });
    }
  }
}
