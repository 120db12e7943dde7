/**
 * Granting and revoking object permissions from inside a flush (for the signals): the grants join
 * the flush being committed, so a room and its creator's permissions are written together or not at all.
 */
import { ChangeSetType, wrap, type EntityManager, type UnitOfWork } from '@mikro-orm/core';
import { ObjectPermission } from '../entities/object-permission.js';
import type { AbstractUser } from '../entities/user.js';
import { objectKeyOf, type ObjectKey } from './object-key.js';

/** Which flush phase the caller is in: before change sets are computed, or after (onFlush). */
export type FlushPhase = 'beforeFlush' | 'onFlush';

function sameGrant(perm: ObjectPermission, userId: string, codename: string, key: ObjectKey): boolean {
  return (
    perm.codename === codename &&
    perm.objectType === key.objectType &&
    perm.objectId === key.objectId &&
    String(wrap(perm.user, true).getPrimaryKey()) === userId
  );
}

function pendingGrants(uow: UnitOfWork): ObjectPermission[] {
  const pending = new Set<ObjectPermission>();
  for (const entity of uow.getPersistStack()) if (entity instanceof ObjectPermission) pending.add(entity);
  for (const cs of uow.getChangeSets()) if (cs.type === ChangeSetType.CREATE && cs.entity instanceof ObjectPermission) pending.add(cs.entity);
  return [...pending];
}

/** Grants each codename to each user on `object`, skipping what is stored or already pending. */
export async function grantInFlush(
  em: EntityManager,
  uow: UnitOfWork,
  phase: FlushPhase,
  users: readonly AbstractUser[],
  codenames: readonly string[],
  object: object,
): Promise<void> {
  if (users.length === 0) return;
  const key = objectKeyOf(object);
  const stored = await em.find(ObjectPermission, { user: { $in: users.map(u => u.id) }, codename: { $in: [...codenames] }, ...key });
  const known = [...stored, ...pendingGrants(uow)];
  for (const user of users) {
    for (const codename of codenames) {
      if (known.some(perm => sameGrant(perm, user.id, codename, key))) continue;
      const perm = em.create(ObjectPermission, { user, codename, ...key });
      known.push(perm);
      if (phase === 'onFlush') uow.computeChangeSet(perm);
    }
  }
}

/** Revokes each codename from each user on `object`, as part of the flush. */
export async function revokeInFlush(
  em: EntityManager,
  uow: UnitOfWork,
  users: readonly AbstractUser[],
  codenames: readonly string[],
  object: object,
): Promise<void> {
  if (users.length === 0) return;
  const stored = await em.find(ObjectPermission, { user: { $in: users.map(u => u.id) }, codename: { $in: [...codenames] }, ...objectKeyOf(object) });
  for (const perm of stored) {
    em.remove(perm);
    uow.computeChangeSet(perm, ChangeSetType.DELETE);
  }
}
