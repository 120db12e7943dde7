/**
 * The demo chat in real Chromium (headless): two browser contexts signed in as two users, through
 * the demo's own pages, against the demo server in its own process, on PGlite or PostgreSQL.
 */
import anyTest, { type TestFn } from 'ava';
import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM_AVAILABLE, launchBrowser, screenshots, signIn, type Side } from './helpers/browser.js';
import { startDemoProcess, type DemoProcess } from './helpers/demo-process.js';

const test = (CHROMIUM_AVAILABLE ? anyTest.serial : anyTest.skip) as TestFn<{ sides: Side[] }>;
let demo: DemoProcess;
let browser: Browser;

anyTest.before(async () => {
  if (!CHROMIUM_AVAILABLE) return;
  demo = await startDemoProcess();
  browser = await launchBrowser();
});
anyTest.after.always(async () => {
  await browser?.close();
  await demo?.dispose();
});
const hooks = anyTest as TestFn<{ sides: Side[] }>;
hooks.beforeEach(t => {
  t.context.sides = [];
});
hooks.afterEach.always(async t => {
  if (!CHROMIUM_AVAILABLE) return;
  if (!t.passed) await screenshots(t.title, t.context.sides);
  for (const side of t.context.sides) await side.context.close();
});

const account = (name: string) => demo.accounts.find(a => a.username === name)!;

async function open(t: { context: { sides: Side[] } }, ...names: string[]): Promise<Page[]> {
  const sides = await Promise.all(names.map(name => signIn(browser, demo.url, account(name))));
  t.context.sides.push(...sides);
  return sides.map(side => side.page);
}

/** Creates a group (or channel) through the page and returns its name. */
async function newRoom(page: Page, kind: 'group' | 'channel', members: string[]): Promise<string> {
  const name = `${kind} ${randomBytes(3).toString('hex')}`;
  await page.click(`#new-${kind}`);
  await page.fill('#new-name', name);
  for (const member of members) await page.check(`#new-members input[value="${account(member).id}"]`);
  await page.click('#new-room button[type=submit]');
  await page.waitForSelector(`#room-title:text-is("${name}")`);
  return name;
}

const room = (page: Page, title: string) => page.locator('.rooms li', { hasText: title });
const message = (page: Page, text: string) => page.locator('.message', { has: page.locator(`.content:text-is("${text}")`) });

async function say(page: Page, text: string): Promise<void> {
  await page.fill('#text', text);
  await page.press('#text', 'Enter');
  await message(page, text).waitFor();
}

test('a message sent in one browser appears in the other, then the sender sees it delivered and read', async t => {
  const [alice, bob] = await open(t, 'alice', 'bob');
  const name = await newRoom(alice!, 'group', ['bob']);
  await room(bob!, name).waitFor();
  await say(alice!, 'hello bob');
  // Bob's client received it (delivered) but has not opened the room: an unread badge.
  await alice!.locator('.message.mine .ticks[data-status=delivered]').waitFor();
  t.is(await room(bob!, name).locator('.unread').textContent(), '1');
  await room(bob!, name).click();
  await message(bob!, 'hello bob').waitFor();
  await alice!.locator('.message.mine .ticks[data-status=read]').waitFor();
  t.is(await room(bob!, name).locator('.unread').count(), 0);
  t.deepEqual(t.context.sides.flatMap(side => side.errors), []);
});

test('a reaction and an edit propagate to the other browser', async t => {
  const [alice, bob] = await open(t, 'alice', 'bob');
  const name = await newRoom(alice!, 'group', ['bob']);
  await say(alice!, 'react to this');
  await room(bob!, name).click();
  await message(bob!, 'react to this').hover();
  await message(bob!, 'react to this').locator('button[title="react 👍"]').click();
  await message(alice!, 'react to this').locator('.reactions span', { hasText: '👍 1' }).waitFor();
  await message(alice!, 'react to this').hover();
  await message(alice!, 'react to this').locator('button', { hasText: 'edit' }).click();
  await alice!.fill('#text', 'edited text');
  await alice!.press('#text', 'Enter');
  await message(bob!, 'edited text').locator('.edited').waitFor();
  t.is(await message(bob!, 'react to this').count(), 0);
  t.is(await message(bob!, 'edited text').locator('.reactions span').textContent(), '👍 1');
});

test('reply, forward and delete', async t => {
  const [alice, bob] = await open(t, 'alice', 'bob');
  const first = await newRoom(alice!, 'group', ['bob']);
  const second = await newRoom(alice!, 'channel', ['bob']);
  await room(alice!, first).click();
  await say(alice!, 'question?');
  await room(bob!, first).click();
  await message(bob!, 'question?').hover();
  await message(bob!, 'question?').locator('button', { hasText: 'reply' }).click();
  await say(bob!, 'answer!');
  await message(alice!, 'answer!').locator('.quote', { hasText: 'question?' }).waitFor();
  await message(alice!, 'answer!').hover();
  await message(alice!, 'answer!').locator('button', { hasText: 'forward' }).click();
  await alice!.selectOption('#forward-to', { label: second });
  await alice!.click('#forward-send');
  await alice!.waitForSelector(`#room-title:text-is("${second}")`);
  await message(alice!, 'answer!').locator('.quote', { hasText: 'forwarded' }).waitFor();
  await room(bob!, second).click();
  await message(bob!, 'answer!').waitFor();
  await room(alice!, first).click();
  await message(alice!, 'question?').hover();
  await message(alice!, 'question?').locator('button', { hasText: 'delete' }).click();
  await room(bob!, first).click();
  await message(bob!, 'question?').waitFor({ state: 'detached' });
  t.is(await message(bob!, 'answer!').count(), 1);
});

test('one-to-one chats, typing and presence', async t => {
  const [carol, bob] = await open(t, 'carol', 'bob');
  await carol!.click('#new-direct');
  await carol!.check(`#new-members input[value="${account('bob').id}"]`);
  await carol!.click('#new-room button[type=submit]');
  await carol!.waitForSelector('#room-title:text-is("bob")');
  await room(bob!, 'carol').click();
  await bob!.locator(`#room-header .dot.online[data-user="${account('carol').id}"]`).waitFor();
  await carol!.type('#text', 'typing slowly', { delay: 20 });
  await bob!.locator('#typing', { hasText: 'carol is typing…' }).waitFor();
  await carol!.close();
  await bob!.locator(`#room-header .dot:not(.online)[data-user="${account('carol').id}"]`).waitFor();
  t.pass();
});

test('history scrolls back page by page', async t => {
  const alice = account('alice');
  const call = (method: string, path: string, body?: unknown) =>
    fetch(`${demo.url}/api${path}`, { method, headers: { authorization: `Bearer ${alice.token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(r => r.json() as any);
  const created = await call('POST', '/rooms', { type: 'GroupChat', name: `history ${randomBytes(3).toString('hex')}`, participants: [account('bob').id] });
  for (let i = 1; i <= 45; i++) await call('POST', `/rooms/${created.id}/messages`, { content: `line ${i}` });
  const [bob] = await open(t, 'bob');
  await room(bob!, created.name).click();
  await message(bob!, 'line 45').waitFor();
  t.is(await bob!.locator('.message').count(), 30);
  // The list re-renders as receipts arrive: click the button as it is now rather than wait for it to hold still.
  await bob!.locator('#older').dispatchEvent('click');
  await message(bob!, 'line 1').waitFor();
  t.is(await bob!.locator('.message').count(), 45);
});

test('the server restarts while one side is typing: after reconnecting the missed messages appear, none twice', async t => {
  const [alice, bob] = await open(t, 'alice', 'bob');
  const name = await newRoom(alice!, 'group', ['bob']);
  await room(bob!, name).click();
  await say(bob!, 'before the restart');
  await message(alice!, 'before the restart').waitFor();
  await alice!.type('#text', 'a draft', { delay: 10 });
  const aliceContext = t.context.sides[0]!.context;
  // Alice's browser goes offline (her page shows it at once) and stays so while the server
  // restarts and Bob talks; Bob's page notices the server going away by itself.
  await aliceContext.setOffline(true);
  await alice!.waitForSelector('body[data-connection=reconnecting]');
  await demo.stop();
  await bob!.waitForSelector('body[data-connection=reconnecting]');
  await demo.start();
  await bob!.waitForSelector('body[data-connection=online]', { timeout: 20_000 });
  for (const text of ['missed one', 'missed two', 'missed three']) await say(bob!, text);
  t.is(await message(alice!, 'missed one').count(), 0);
  await aliceContext.setOffline(false);
  await alice!.waitForSelector('body[data-connection=online]', { timeout: 20_000 });
  for (const text of ['missed one', 'missed two', 'missed three']) await message(alice!, text).waitFor();
  await alice!.waitForTimeout(500);
  for (const text of ['before the restart', 'missed one', 'missed two', 'missed three']) t.is(await message(alice!, text).count(), 1, text);
  // The draft survived, and goes out now.
  t.is(await alice!.inputValue('#text'), 'a draft');
  await alice!.press('#text', 'Enter');
  await message(bob!, 'a draft').waitFor();
});
