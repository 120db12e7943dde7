/**
 * Object-level permissions (the role django-guardian plays): grant, revoke and check a codename
 * for one user on one object. Each call writes at once (flushes).
 */
import type { EntityManager } from '@mikro-orm/core';
import { ObjectPermission } from '../entities/object-permission.js';
import type { AbstractUser } from '../entities/user.js';
import { objectKeyOf } from './object-key.js';

/** Grants `codename` to `user` on `object`; granting twice is harmless. */
export async function assignPermission(em: EntityManager, codename: string, user: AbstractUser, object: object): Promise<void> {
  const key = objectKeyOf(object);
  const existing = await em.findOne(ObjectPermission, { user, codename, ...key });
  if (existing) return;
  em.create(ObjectPermission, { user, codename, ...key });
  await em.flush();
}

/** Revokes `codename` from `user` on `object`; revoking what was never granted is harmless. */
export async function removePermission(em: EntityManager, codename: string, user: AbstractUser, object: object): Promise<void> {
  const existing = await em.find(ObjectPermission, { user, codename, ...objectKeyOf(object) });
  if (existing.length === 0) return;
  em.remove(existing);
  await em.flush();
}

/** Whether `user` holds `codename` on `object`. */
export async function hasPermission(em: EntityManager, codename: string, user: AbstractUser, object: object): Promise<boolean> {
  return (await em.count(ObjectPermission, { user, codename, ...objectKeyOf(object) })) > 0;
}

/** Every codename `user` holds on `object`, sorted. */
export async function permissionsOf(em: EntityManager, user: AbstractUser, object: object): Promise<string[]> {
  const rows = await em.find(ObjectPermission, { user, ...objectKeyOf(object) }, { fields: ['codename'] });
  return rows.map(row => row.codename).sort();
}
