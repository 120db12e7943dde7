/**
 * `npm start` twice with REDIS_URL (and one PostgreSQL database) is one chat: a message sent to
 * one process reaches a browser signed in on the other. Needs PostgreSQL (the embedded database
 * belongs to one process), redis-server and Chromium.
 */
import anyTest from 'ava';
import { CHROMIUM_AVAILABLE, launchBrowser, signIn } from './helpers/browser.js';
import { startDemoProcess } from './helpers/demo-process.js';
import { REDIS_AVAILABLE, startRedis } from './helpers/redis-server.js';

const runnable = CHROMIUM_AVAILABLE && REDIS_AVAILABLE && !!process.env.DATABASE_URL;
const test = runnable ? anyTest : anyTest.skip;

test('two demo processes on one Redis share one chat', async t => {
  const redis = await startRedis();
  const first = await startDemoProcess({ redisUrl: redis.url });
  const second = await startDemoProcess({ redisUrl: redis.url, shared: first.database });
  const browser = await launchBrowser();
  try {
    const alice = first.accounts.find(a => a.username === 'alice')!;
    const bob = second.accounts.find(a => a.username === 'bob')!;
    t.is(alice.id, second.accounts.find(a => a.username === 'alice')!.id, 'both processes see the same users');
    const bobSide = await signIn(browser, second.url, bob);
    const created = await (
      await fetch(`${first.url}/api/rooms`, {
        method: 'POST',
        headers: { authorization: `Bearer ${alice.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'GroupChat', name: 'across processes', participants: [bob.id] }),
      })
    ).json();
    await bobSide.page.locator('.rooms li', { hasText: 'across processes' }).click();
    await fetch(`${first.url}/api/rooms/${(created as any).id}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${alice.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ content: 'from the other process' }),
    });
    await bobSide.page.locator('.message .content', { hasText: 'from the other process' }).waitFor();
    t.pass();
  } finally {
    await browser.close();
    await second.dispose();
    await first.dispose();
    await redis.kill();
  }
});
