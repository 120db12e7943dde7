/**
 * Authentication is the application's: a function from the request to a user. The package ships
 * a simple signed-token scheme for the demo and for tests (`tokenAuthentication`).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { wrap, type EntityData, type MikroORM } from '@mikro-orm/core';
import { preparedSql } from '../engine/prepared.js';
import { namesOf } from '../engine/sql-names.js';
import type { AbstractUser } from '../entities/user.js';
import { Batched } from '../orm/batched.js';
import { model } from '../swappable/registry.js';

/** Finds the user a request speaks for, or null (401). The same function serves REST and WebSocket upgrades. */
export type Authenticate = (request: IncomingMessage) => Promise<AbstractUser | null | undefined>;

/** Tokens `<userId>.<expiry>.<signature>`, signed with a secret: simple, stateless, enough for a demo. */
export interface TokenAuthentication {
  readonly authenticate: Authenticate;
  /** A token for a user id, valid for `ttlSeconds` (default: the scheme's). */
  issue(userId: string, ttlSeconds?: number): string;
}

/** Options of `tokenAuthentication`. */
export interface TokenOptions {
  /** How long an issued token stays valid, in seconds (default 7 days). */
  readonly ttlSeconds?: number;
  /**
   * How long a verified token's user is remembered, in seconds (default 30; 0: read the user every
   * time). Within it a request costs no database read; a user deleted meanwhile is refused once
   * it runs out.
   */
  readonly cacheSeconds?: number;
}

/** Users remembered at most, past which the oldest are forgotten. */
const MAX_CACHED_USERS = 10_000;

/** The default lifetime of a token: 7 days. */
export const DEFAULT_TOKEN_TTL_SECONDS = 7 * 24 * 3600;

/** A token, whole: a UUID, an expiry in Unix seconds, a base64url SHA-256 HMAC; nothing before, between or after. */
const TOKEN = /^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/;

/**
 * The bearer token of a request: `Authorization: Bearer …`, or, for a WebSocket upgrade only
 * (browsers cannot set headers there), a `token` query parameter or a `Sec-WebSocket-Protocol`
 * entry. A REST request never takes one from the URL, where it would end up in logs.
 */
export function tokenOf(request: IncomingMessage): string | undefined {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice('Bearer '.length).trim();
  if (request.headers.upgrade?.toLowerCase() !== 'websocket') return undefined;
  const query = URL.canParse(request.url ?? '/', 'http://localhost') ? new URL(request.url ?? '/', 'http://localhost').searchParams.get('token') : null;
  if (query) return query;
  const protocols = request.headers['sec-websocket-protocol'];
  return protocols?.split(',').map(p => p.trim()).find(p => p.includes('.'));
}

/** The signed-token scheme over the configured User model: tokens expire, and only an exact token is accepted. */
export function tokenAuthentication(orm: MikroORM, secret: string = randomBytes(32).toString('hex'), options: TokenOptions = {}): TokenAuthentication {
  const ttl = options.ttlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS;
  const cacheMs = (options.cacheSeconds ?? 30) * 1000;
  const sign = (userId: string, expiry: string) => createHmac('sha256', secret).update(`${userId}.${expiry}`).digest('base64url');
  // Verified token → its user and until when; in insertion order, so the oldest go first.
  const cache = new Map<string, { user: AbstractUser; until: number }>();
  const remember = (token: string, user: AbstractUser) => {
    if (cacheMs <= 0) return;
    if (cache.size >= MAX_CACHED_USERS) cache.delete(cache.keys().next().value!);
    cache.set(token, { user, until: Date.now() + cacheMs });
  };
  // Users of tokens verified together (a thousand sockets reconnecting) are read in one statement.
  const users = new Batched<string, AbstractUser>(async ids => {
    const em = orm.em.fork();
    const User = model('User');
    // A prepared statement with the ids as one array: one plan for any batch (a find would send its ids as literals, planned every time).
    const names = namesOf(em, User);
    const rows = await preparedSql<EntityData<AbstractUser>>(em, `select * from ${names.table} where ${names.id} = any(?)`, [ids]);
    // Made as `em.find` makes what it reads (the driver maps the row, the factory builds and registers it).
    const meta = em.getMetadata().find(User.name)!;
    const factory = em.getEntityFactory();
    const found = rows.map(row => factory.create(User, em.getDriver().mapResult(row, meta)!, { merge: true, refresh: true, convertCustomTypes: true }));
    // Detached: a socket or the cache keeps the user for long, and must not keep the entity manager that read it.
    em.clear();
    for (const user of found) wrap(user, true).__em = undefined;
    return new Map(found.map(user => [String(user.id), user]));
  });
  return {
    issue(userId, ttlSeconds = ttl) {
      const expiry = String(Math.floor(Date.now() / 1000) + ttlSeconds);
      return `${userId}.${expiry}.${sign(userId, expiry)}`;
    },
    async authenticate(request) {
      const token = tokenOf(request) ?? '';
      const match = TOKEN.exec(token);
      if (!match) return null;
      const [, userId, expiry, signature] = match;
      const now = Date.now();
      if (Number(expiry) * 1000 <= now) return null;
      const cached = cache.get(token);
      if (cached && cached.until > now) return cached.user;
      const expected = Buffer.from(sign(userId, expiry));
      const given = Buffer.from(signature);
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
      const user = await users.get(userId);
      if (!user) return null;
      remember(token, user);
      return user;
    },
  };
}
