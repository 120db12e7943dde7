/**
 * Authentication is the application's: a function from the request to a user. The package ships
 * a simple signed-token scheme for the demo and for tests (`tokenAuthentication`).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { MikroORM } from '@mikro-orm/core';
import type { AbstractUser } from '../entities/user.js';
import { model } from '../swappable/registry.js';

/** Finds the user a request speaks for, or null (401). The same function serves REST and WebSocket upgrades. */
export type Authenticate = (request: IncomingMessage) => Promise<AbstractUser | null | undefined>;

/** Tokens `<userId>.<signature>` signed with a secret: simple, stateless, enough for a demo. */
export interface TokenAuthentication {
  readonly authenticate: Authenticate;
  /** A token for a user id. */
  issue(userId: string): string;
}

/** The bearer token of a request: `Authorization: Bearer …`, a `token` query parameter, or a `Sec-WebSocket-Protocol` entry. */
export function tokenOf(request: IncomingMessage): string | undefined {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice('Bearer '.length).trim();
  const query = new URL(request.url ?? '/', 'http://localhost').searchParams.get('token');
  if (query) return query;
  const protocols = request.headers['sec-websocket-protocol'];
  return protocols?.split(',').map(p => p.trim()).find(p => p.includes('.'));
}

/** The signed-token scheme over the configured User model. */
export function tokenAuthentication(orm: MikroORM, secret: string = randomBytes(32).toString('hex')): TokenAuthentication {
  const sign = (userId: string) => createHmac('sha256', secret).update(userId).digest('base64url');
  return {
    issue: userId => `${userId}.${sign(userId)}`,
    async authenticate(request) {
      const token = tokenOf(request);
      if (!token) return null;
      const [userId, signature] = token.split('.');
      if (!userId || !signature) return null;
      const expected = Buffer.from(sign(userId));
      const given = Buffer.from(signature);
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
      return (await orm.em.fork().findOne(model('User'), { id: userId } as never)) as AbstractUser | null;
    },
  };
}
