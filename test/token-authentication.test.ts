/**
 * The package's token scheme: a token is accepted whole or not at all, it expires, and REST never
 * takes one from the URL (where it would end up in logs); only a WebSocket upgrade may.
 */
import test from 'ava';
import { defineChatSettings, tokenAuthentication } from '../src/index.js';
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
  for (const forged of [`${token}.anything`, `${token}x`, ` ${token}.`, `${userId}.${signature}`, `${userId}.${Number(expiry) + 1}.${signature}`, `${userId}.${expiry}.${signature.slice(0, -1)}A`, `${userId}..${signature}`]) {
    t.is(await get(`${chat.url}/rooms`, { authorization: `Bearer ${forged}` }), 401, forged);
  }
});

test('a token expires', async t => {
  const [alice] = await chat.users('alice');
  const auth = tokenAuthentication(chat.orm, TOKEN_SECRET);
  t.is(await get(`${chat.url}/rooms`, { authorization: `Bearer ${auth.issue(alice!.id, 60)}` }), 200);
  t.is(await get(`${chat.url}/rooms`, { authorization: `Bearer ${auth.issue(alice!.id, -1)}` }), 401, 'an expired token');
  const brief = tokenAuthentication(chat.orm, TOKEN_SECRET, { ttlSeconds: 1 });
  const token = brief.issue(alice!.id);
  t.is(await get(`${chat.url}/rooms`, { authorization: `Bearer ${token}` }), 200);
  await new Promise(resolve => setTimeout(resolve, 2100));
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
