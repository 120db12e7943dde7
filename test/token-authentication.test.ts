/**
 * The package's token scheme: a token is accepted whole or not at all, it expires, and REST never
 * takes one from the URL (where it would end up in logs); only a WebSocket upgrade may.
 */
import test from 'ava';
import type { IncomingMessage } from 'node:http';
import { defineChatSettings, model, tokenAuthentication } from '../src/index.js';
import { TestSocket } from './helpers/ws-client.js';
import { TOKEN_SECRET } from './helpers/chat-server.js';
import { useChatServer } from './helpers/use-chat-server.js';

const chat = useChatServer(defineChatSettings());

const get = (url: string, headers: Record<string, string> = {}) => fetch(url, { headers }).then(r => r.status);

test('a token with anything added, removed or changed is refused', async t => {
  const [alice] = await chat.users('alice');
  const token = chat.token(alice!);
  t.is(await get(`${chat.url}/rooms`, { authorization: `Bearer ${token}` }), 200);
  const [userId, expiry, signature] = token.split('.') as [string, string, string];
  for (const forged of [`${token}.anything`, `${token}x`, ` ${token}.`, `${userId}.${signature}`, `${userId}.${Number(expiry) + 1}.${signature}`, `${userId}.${expiry}.${signature.slice(0, -1)}${signature.endsWith('A') ? 'B' : 'A'}`, `${userId}..${signature}`]) {
    t.is(await get(`${chat.url}/rooms`, { authorization: `Bearer ${forged}` }), 401, forged);
  }
});

test('a token expires', async t => {
  const [alice] = await chat.users('alice');
  const auth = tokenAuthentication(chat.orm, TOKEN_SECRET);
  t.is(await get(`${chat.url}/rooms`, { authorization: `Bearer ${auth.issue(alice!.id, 60)}` }), 200);
  t.is(await get(`${chat.url}/rooms`, { authorization: `Bearer ${auth.issue(alice!.id, -1)}` }), 401, 'an expired token');
  // Seconds of margin: under a loaded test run the first request may take a while.
  const brief = tokenAuthentication(chat.orm, TOKEN_SECRET, { ttlSeconds: 3 });
  const token = brief.issue(alice!.id);
  t.is(await get(`${chat.url}/rooms`, { authorization: `Bearer ${token}` }), 200);
  await new Promise(resolve => setTimeout(resolve, 4100));
  t.is(await get(`${chat.url}/rooms`, { authorization: `Bearer ${token}` }), 401, 'a token past its ttlSeconds');
});

test('REST refuses a token in the query string; a WebSocket upgrade accepts it', async t => {
  const [alice] = await chat.users('alice');
  const token = chat.token(alice!);
  t.is(await get(`${chat.url}/rooms?token=${encodeURIComponent(token)}`), 401);
  const socket = await TestSocket.open(`${chat.wsUrl}?token=${encodeURIComponent(token)}`);
  t.true(socket.open);
  await socket.close();
  const expired = tokenAuthentication(chat.orm, TOKEN_SECRET).issue(alice!.id, -1);
  const refused = await TestSocket.open(`${chat.wsUrl}?token=${encodeURIComponent(expired)}`).catch((error: { status?: number }) => error);
  t.is((refused as { status?: number }).status, 401);
});

test('a verified token is remembered for cacheSeconds: no read within it, and a deleted user is refused once it runs out', async t => {
  const [alice] = await chat.users('alice');
  const auth = tokenAuthentication(chat.orm, TOKEN_SECRET, { cacheSeconds: 1 });
  const request = { headers: { authorization: `Bearer ${auth.issue(alice!.id)}` }, url: '/' } as unknown as IncomingMessage;
  t.is((await auth.authenticate(request))?.id, alice!.id);
  await chat.orm.em.fork().nativeDelete(model('User'), { id: alice!.id } as never);
  t.is((await auth.authenticate(request))?.id, alice!.id, 'remembered: the database is not asked again');
  await new Promise(resolve => setTimeout(resolve, 1100));
  t.is(await auth.authenticate(request), null, 'forgotten after cacheSeconds, and the user is gone');
  const forged = { headers: { authorization: `Bearer ${auth.issue(alice!.id).slice(0, -2)}xx` }, url: '/' } as unknown as IncomingMessage;
  t.is(await auth.authenticate(forged), null, 'only a token verified before is remembered');
});
