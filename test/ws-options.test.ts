/**
 * The WebSocket server's options are defaulted and checked once, before anything starts: a bad
 * limit or timing is refused with every problem named, and the presence interval never lets a
 * dead process's users stay online past one ping interval.
 */
import { createServer } from 'node:http';
import test from 'ava';
import { attachChatWebSocket, ChatConfigurationError, defineChatSettings, WEBSOCKET_DEFAULTS, type ChatWebSocketOptions } from '../src/index.js';
import { normalizeOptions } from '../src/realtime/options.js';

const settings = defineChatSettings();
const base = { orm: {}, settings, authenticate: async () => null } as unknown as ChatWebSocketOptions;

test('every default comes from one table', t => {
  const config = normalizeOptions(base);
  t.is(config.maxPayload, WEBSOCKET_DEFAULTS.maxPayload);
  t.is(config.pingIntervalMs, WEBSOCKET_DEFAULTS.pingIntervalMs);
  t.deepEqual(config.rateLimit, WEBSOCKET_DEFAULTS.rateLimit);
  t.is(config.path, '/messaging');
  t.is(config.presenceIntervalMs, WEBSOCKET_DEFAULTS.pingIntervalMs / 5);
});

test('the presence interval is at most a quarter of the ping interval (a dead process is noticed within one ping interval)', t => {
  t.is(normalizeOptions({ ...base, pingIntervalMs: 8000, presenceIntervalMs: 10_000 }).presenceIntervalMs, 2000);
  t.is(normalizeOptions({ ...base, pingIntervalMs: 8000, presenceIntervalMs: 500 }).presenceIntervalMs, 500);
});

test('pings can be turned off (0): presence is then announced every 10 s unless set', t => {
  t.is(normalizeOptions({ ...base, pingIntervalMs: 0 }).presenceIntervalMs, 10_000);
  t.is(normalizeOptions({ ...base, pingIntervalMs: 0, presenceIntervalMs: 3000 }).presenceIntervalMs, 3000);
});

test('bad limits and timings are refused before anything starts, each one named', async t => {
  const server = createServer();
  const error = await t.throwsAsync(attachChatWebSocket(server, { ...base, maxPayload: 0, pingIntervalMs: -5, resyncIntervalMs: Number.NaN, rateLimit: { burst: 10, perSecond: 0 } }), {
    instanceOf: ChatConfigurationError,
  });
  t.deepEqual(
    error!.problems.map(p => p.path),
    ['maxPayload', 'pingIntervalMs', 'rateLimit.perSecond', 'resyncIntervalMs'],
  );
  t.is(server.listenerCount('upgrade'), 0, 'nothing was attached');
});
