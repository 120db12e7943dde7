/** Small builders for test data: users with unique names. */
import type { EntityManager } from '@mikro-orm/core';
import { randomBytes } from 'node:crypto';
import { model, type AbstractUser } from '../../src/index.js';

/** A unique username with a readable prefix. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${randomBytes(4).toString('hex')}`;
}

/** Creates and stores users of the configured User class. */
export async function createUsers(em: EntityManager, ...prefixes: string[]): Promise<AbstractUser[]> {
  const users = prefixes.map(prefix => em.create(model('User'), { username: uniqueName(prefix) } as never) as AbstractUser);
  await em.flush();
  return users;
}
