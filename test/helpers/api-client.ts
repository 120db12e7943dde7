/**
 * Talking to a chat API as a test does: users of the configured model, and calls as one of them.
 * No ava here: child processes (the chat nodes of the cluster tests) use it too.
 */
import type { MikroORM } from '@mikro-orm/core';
import { model, type AbstractUser } from '../../src/index.js';
import type { ApiResponse } from './api.js';
import { uniqueName } from './factories.js';

/** Creates users of the configured User model, with unique names from `prefixes`. */
export async function createUsers(orm: MikroORM, prefixes: string[]): Promise<AbstractUser[]> {
  const em = orm.em.fork();
  const users = prefixes.map(prefix => em.create(model('User'), { username: uniqueName(prefix) } as never) as AbstractUser);
  await em.flush();
  return users;
}

/** Calls the API at `url` as `user` (a token from `issue`), as `Api.call` describes. */
export async function callApi(
  url: string,
  issue: (userId: string) => string,
  user: AbstractUser | null,
  method: string,
  path: string,
  body?: unknown,
  options: { raw?: string; headers?: Record<string, string> } = {},
): Promise<ApiResponse> {
  const headers: Record<string, string> = { ...(user ? { authorization: `Bearer ${issue(user.id)}` } : {}), ...options.headers };
  const payload = options.raw ?? (body === undefined ? undefined : JSON.stringify(body));
  if (payload !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
  const response = await fetch(`${url}${path}`, { method, headers, body: payload });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // keep the text
  }
  return { status: response.status, body: parsed };
}
