/**
 * The demo chat in real Chromium (headless), on a phone (390×844, touch) and on a desktop
 * (1280×800): browser contexts signed in as the demo users through the demo's own pages, against the
 * demo server in its own process, on PGlite or PostgreSQL. A flow that runs at both sizes runs them
 * side by side, each in rooms of its own. UPDATE_SCREENSHOTS=1 rewrites the README's pictures.
 */
import anyTest, { type ExecutionContext, type TestFn } from 'ava';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { WebSocket } from 'ws';
import { CHROMIUM_AVAILABLE, SCREEN_SIZES, launchBrowser, screenshots, signIn, type ScreenSize, type Side } from './helpers/browser.js';
import { startDemoProcess, type DemoProcess } from './helpers/demo-process.js';

type Context = { sides: Side[]; screenshots?: string };
type T = ExecutionContext<Context>;
const test = (CHROMIUM_AVAILABLE ? anyTest.serial : anyTest.skip) as TestFn<Context>;
const ROOT = resolve(import.meta.dirname, '..', '..');
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
const hooks = anyTest as TestFn<Context>;
hooks.beforeEach(t => {
  t.context.sides = [];
});
hooks.afterEach.always(async t => {
  if (!CHROMIUM_AVAILABLE) return;
  if (!t.passed && !t.context.screenshots) console.error(`screenshots of "${t.title}": ${await screenshots(t.title, t.context.sides)}`);
  for (const side of t.context.sides) await side.context.close();
});

/** A browser test whose thrown failure names the screenshots taken at that moment (before the pages close). */
function browserTest(title: string, body: (t: T) => Promise<void>): void {
  test(title, async t => {
    try {
      await body(t);
    } catch (error) {
      t.context.screenshots = await screenshots(t.title, t.context.sides);
      throw new Error(`${(error as Error).message}\nscreenshots: ${t.context.screenshots}`);
    }
  });
}

/** A flow run at the phone and the desktop size at once; a failure names the size. */
function atBothSizes(title: string, flow: (t: T, size: ScreenSize) => Promise<void>): void {
  browserTest(title, async t => {
    const results = await Promise.allSettled(SCREEN_SIZES.map(size => flow(t, size)));
    const failed = results.flatMap((result, i) => (result.status === 'rejected' ? [`at the ${SCREEN_SIZES[i]} size: ${(result.reason as Error).message}`] : []));
    if (failed.length > 0) throw new Error(failed.join('\n'));
  });
}

const account = (name: string) => demo.accounts.find(a => a.username === name)!;

async function open(t: T, size: ScreenSize, ...names: string[]): Promise<Page[]> {
  const sides = await Promise.all(names.map(name => signIn(browser, demo.url, account(name), size, t.title.startsWith("the README's") && size === 'phone' ? 2 : 1)));
  t.context.sides.push(...sides);
  return sides.map(side => side.page);
}

const room = (page: Page, title: string) => page.locator('.rooms li', { has: page.locator(`.name:text-is("${title}")`) });
const message = (page: Page, text: string) => page.locator('.message', { has: page.locator(`.content:text-is("${text}")`) });
const isPhone = async (page: Page) => (await page.viewportSize())!.width < 720;

/** Back to the room list, as a phone user does (on a desktop it is always there). */
async function toList(page: Page): Promise<void> {
  if (await page.locator('#back').isVisible()) await page.click('#back');
  await page.locator('.sidebar').waitFor();
}

/**
 * Does `act` until `done` resolves (`done` waits a little for what `act` should bring about): the
 * page re-renders its lists as receipts and reads arrive, and a click or tap that landed on a row
 * replaced under it, or that the page did not take under a full suite's load, did nothing.
 */
async function untilDone(act: () => Promise<unknown>, done: () => Promise<unknown>, tries = 3): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await act();
    try {
      await done();
      return;
    } catch (error) {
      if (attempt === tries) throw error;
    }
  }
}

/** Opens a room from the list. */
async function enter(page: Page, title: string): Promise<void> {
  await toList(page);
  await untilDone(
    () => room(page, title).click(),
    () => page.waitForSelector(`#room-title:text-is("${title}")`, { timeout: 5000 }),
  );
}

/** Creates a group (or channel) through the page and returns its name. */
async function newRoom(page: Page, kind: 'group' | 'channel', members: string[]): Promise<string> {
  const name = `${kind} ${randomBytes(3).toString('hex')}`;
  await toList(page);
  await untilDone(
    () => page.click(`#new-${kind}`),
    () => page.locator('#new-room').waitFor({ state: 'visible', timeout: 2000 }),
  );
  await page.fill('#new-name', name);
  for (const member of members) await page.check(`#new-members input[value="${account(member).id}"]`);
  // A request made while the socket reconnects (a full suite's load can cost one) is refused as
  // "Not connected" and creates nothing, leaving the form open: submit again once it is back.
  for (let attempt = 1; ; attempt++) {
    await page.locator('body[data-connection="online"]').waitFor();
    await page.click('#new-room button[type=submit]');
    try {
      await page.waitForSelector(`#room-title:text-is("${name}")`, { timeout: 15_000 });
      return name;
    } catch (error) {
      if (attempt === 3) throw error;
      // The form closed: the room was made, and opening it is slow.
      if (!(await page.locator('#new-room').isVisible())) {
        await page.waitForSelector(`#room-title:text-is("${name}")`);
        return name;
      }
    }
  }
}

/** Where an element is on the screen, measured again when the element was replaced as it was measured (a re-render). */
async function boxOf(locator: Locator): Promise<{ x: number; y: number; width: number; height: number }> {
  for (let attempt = 1; ; attempt++) {
    const box = await locator.boundingBox();
    if (box) return box;
    if (attempt === 10) throw new Error(`${locator} has no box: it is not shown`);
    await new Promise(resolve => setTimeout(resolve, 200));
  }
}

async function say(page: Page, text: string): Promise<void> {
  await page.fill('#text', text);
  await page.press('#text', 'Enter');
  await message(page, text).waitFor();
}

/**
 * Uses one of a message's actions as its user would: on a desktop, hovering shows them; on a phone,
 * tapping the message does, as buttons big enough for a finger (44 px, the usual touch target).
 */
async function act(page: Page, text: string, action: string | RegExp): Promise<void> {
  const target = message(page, text);
  const button = (locator: Locator) => (typeof action === 'string' && action.startsWith('react') ? locator.locator(`button[title="${action}"]`) : locator.locator('.actions button', { hasText: action }));
  if (!(await isPhone(page))) {
    // A row replaced under the pointer is no longer hovered, so its toolbar is hidden until the
    // pointer moves again, as a user's would: hover the row as it is now and click, again if need be.
    for (let attempt = 1; ; attempt++) {
      try {
        await target.hover({ timeout: 2000 });
        return await button(target).click({ timeout: 2000 });
      } catch (error) {
        if (attempt === 5) throw error;
      }
    }
  }
  // The list re-renders as receipts arrive: a tap that lands on a row being replaced is tapped
  // again, and a button replaced while it is measured is measured again.
  let box: { width: number; height: number } | null = null;
  for (let attempt = 0; attempt < 5 && !box; attempt++) {
    const shown = () => button(message(page, text)).isVisible();
    if (!(await shown())) await message(page, text).locator('.bubble').tap();
    await button(message(page, text)).waitFor({ state: 'visible', timeout: 2000 }).catch(() => {});
    box = await button(message(page, text)).boundingBox({ timeout: 1000 }).catch(() => null);
  }
  if (!box || box.width < 44 || box.height < 44) throw new Error(`the "${action}" button is ${box?.width}×${box?.height} px on a phone, under 44×44`);
  await button(message(page, text)).tap();
}

/**
 * Starts a reply, an edit or a forward of a message and waits until the composer says so. The
 * list re-renders as receipts and reads arrive: a click that landed on a row replaced under the
 * pointer started nothing, and is made again.
 */
async function startCompose(page: Page, text: string, action: 'Reply' | 'Edit' | 'Forward'): Promise<void> {
  const says = { Reply: 'Replying to', Edit: 'Editing your message', Forward: 'Forward to' }[action];
  await untilDone(
    () => act(page, text, action),
    () => page.locator('#context-text', { hasText: says }).waitFor({ state: 'visible', timeout: 2000 }),
  );
}

/** The page's visible text, for what must (not) show. */
const textOf = (page: Page, selector: string) => page.locator(selector).innerText();

function assert(condition: boolean, what: string): void {
  if (!condition) throw new Error(what);
}

atBothSizes('with no rooms the list says so, and so does the conversation pane', async (t, size) => {
  // carol has no rooms until the one-to-one test below.
  const [carol] = await open(t, size, 'carol');
  await carol!.locator('#rooms-empty', { hasText: 'No conversations yet' }).waitFor();
  t.is(await carol!.locator('.rooms li').count(), 0, size);
  if (size === 'desktop') t.regex(await textOf(carol!, '#messages'), /Welcome/);
  else t.false(await carol!.locator('.room').isVisible(), 'a phone shows the list alone');
});

/** The REST API as one demo user. */
function apiAs(name: string) {
  const { token } = account(name);
  return async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${demo.url}/api${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return response.json() as Promise<any>;
  };
}

browserTest("the README's pictures: a lively group at both sizes (UPDATE_SCREENSHOTS=1 rewrites docs/demo-*.png)", async t => {
  const [alice, bob, carol] = ['alice', 'bob', 'carol'].map(apiAs) as [ReturnType<typeof apiAs>, ReturnType<typeof apiAs>, ReturnType<typeof apiAs>];
  const id = (name: string) => account(name).id;
  const news = await alice('POST', '/rooms', { type: 'Channel', name: 'Trail news', subscribers: [id('bob'), id('carol')], extra_fields: { is_public: true } });
  const report = await alice('POST', `/rooms/${news.id}/messages`, { content: 'The ridge path is open again, parking at the north lot 🏔️' });
  const direct = await bob('POST', '/rooms', { type: 'OneToOneChat', participants: [id('alice')] });
  const hike = await alice('POST', '/rooms', { type: 'GroupChat', name: 'Weekend hike', participants: [id('bob'), id('carol')] });
  await carol('POST', `/rooms/${hike.id}/messages`, { content: "Who's in for the ridge trail on Saturday? 🥾" });
  const when = await bob('POST', `/rooms/${hike.id}/messages`, { content: 'Me! What time do we leave?' });
  const plan = await alice('POST', `/rooms/${hike.id}/messages`, { content: "8:00 at the station. Bring layers, it's windy up there.", parent_message_id: when.id });
  await carol('POST', `/messages/${plan.id}/reactions`, { reaction_content: '👍' });
  await bob('POST', `/messages/${plan.id}/reactions`, { reaction_content: '❤️' });
  await bob('POST', `/messages/${report.id}/forward`, { room_id: hike.id });
  const last = await carol('POST', `/rooms/${hike.id}/messages`, { content: "Perfect. I'll bring snacks 🍫" });
  for (const reader of [bob, carol]) await reader('POST', `/rooms/${hike.id}/read`, { message_id: last.id });
  await bob('POST', `/rooms/${direct.id}/messages`, { content: 'Seen the forecast? Sunny all weekend ☀️' });
  // bob and carol online, as in a real group, from sockets of their own.
  const online = ['bob', 'carol'].map(name => new WebSocket(`${demo.url.replace(/^http/, 'ws')}/messaging/?token=${encodeURIComponent(account(name).token)}&presence=1`));
  t.teardown(() => online.forEach(socket => socket.close()));
  await Promise.all(online.map(socket => once(socket, 'open')));
  const folder = process.env.UPDATE_SCREENSHOTS ? join(ROOT, 'docs') : join(ROOT, '.tmp', 'demo-screenshots');
  mkdirSync(folder, { recursive: true });
  const pages = await Promise.all(
    SCREEN_SIZES.map(async size => {
      const [page] = await open(t, size, 'alice');
      await enter(page!, 'Weekend hike');
      await message(page!, "Perfect. I'll bring snacks 🍫").waitFor();
      await page!.locator('.message.mine .ticks[data-status=read]').waitFor();
      await page!.locator(`#room-header .dot.online[data-user="${id('carol')}"]`).waitFor();
      t.is(await message(page!, 'The ridge path is open again, parking at the north lot 🏔️').locator('.forwarded').innerText(), 'Forwarded from alice', size);
      return { size, page: page! };
    }),
  );
  await bob('POST', `/rooms/${hike.id}/typing`);
  for (const { size, page } of pages) {
    await page.locator('#typing', { hasText: 'bob is typing…' }).waitFor();
    await page.locator('#banner').waitFor({ state: 'hidden' });
    if (size === 'desktop') await page.mouse.move(900, 20); // no hover highlight in the picture
    await page.screenshot({ path: join(folder, `demo-${size}.png`) });
  }
  t.deepEqual(t.context.sides.flatMap(side => side.errors), []);
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  for (const size of SCREEN_SIZES) {
    t.true(readme.includes(`src="docs/demo-${size}.png"`), `README.md shows docs/demo-${size}.png`);
    t.true(existsSync(join(ROOT, 'docs', `demo-${size}.png`)), `docs/demo-${size}.png is committed`);
  }
});

atBothSizes('the layout fits the screen: one view at a time on a phone, side by side on a desktop, with messages wrapping as text does', async (t, size) => {
  const [alice] = await open(t, size, 'alice');
  const page = alice!;
  const { width, height } = page.viewportSize()!;
  const fits = async (where: string) => {
    const scroll = await page.evaluate<{ scrollWidth: number; innerWidth: number }>('({ scrollWidth: document.documentElement.scrollWidth, innerWidth })');
    assert(scroll.scrollWidth <= scroll.innerWidth, `${where}: the page scrolls sideways (${scroll.scrollWidth} px wide in ${scroll.innerWidth})`);
  };
  await fits('the room list');
  await newRoom(page, 'group', ['bob']);
  const sidebar = page.locator('.sidebar');
  if (size === 'phone') {
    assert(!(await sidebar.isVisible()), 'the room list stays beside the conversation on a phone');
    assert(await page.locator('#back').isVisible(), 'no back button on a phone');
  } else {
    const [list, conversation] = [await boxOf(sidebar), await boxOf(page.locator('.room'))];
    assert(list.x + list.width <= conversation.x + 1, 'the sidebar and the conversation are not side by side');
    assert(!(await page.locator('#back').isVisible()), 'a back button on a desktop');
  }
  const long = 'A message long enough to need a few lines on a phone, so we can see that it wraps like ordinary text does.';
  const word = `https://example.com/${'x'.repeat(120)}`;
  await say(page, long);
  await say(page, word);
  await fits('a conversation with a long message and a very long word');
  const send = await boxOf(page.locator('#send'));
  assert(send.x >= 0 && send.x + send.width <= width && send.y + send.height <= height, `the send button is outside the ${width}×${height} screen: ${JSON.stringify(send)}`);
  const bubble = await boxOf(message(page, long).locator('.bubble'));
  const lineHeight = await message(page, long).locator('.content').evaluate(el => parseFloat((globalThis as any).getComputedStyle(el).lineHeight) as number);
  assert(bubble.width >= Math.min(width * 0.6, 400), `the message is squeezed to ${bubble.width} px`);
  assert(bubble.height <= lineHeight * 5 + 30, `the message takes ${Math.round(bubble.height / lineHeight)} lines`);
  if (size === 'phone') {
    await page.click('#back');
    await sidebar.waitFor();
    assert(!(await page.locator('.room').isVisible()), 'the conversation stays after back');
    await fits('the room list again');
    // The system's back gesture leaves the conversation too, not the chat.
    await untilDone(
      () => page.locator('.rooms li').first().click(),
      () => page.locator('.room').waitFor({ timeout: 5000 }),
    );
    await page.goBack();
    await sidebar.waitFor();
    assert(page.url().startsWith(demo.url), `back left the chat for ${page.url()}`);
  }
  t.pass();
});

atBothSizes('a message sent in one browser appears in the other under a day separator, then the sender sees it delivered and read', async (t, size) => {
  const [alice, bob] = await open(t, size, 'alice', 'bob');
  const name = await newRoom(alice!, 'group', ['bob']);
  await alice!.locator('#messages .empty', { hasText: 'No messages yet' }).waitFor();
  await room(bob!, name).waitFor();
  t.is(await room(bob!, name).locator('.last').innerText(), 'No messages yet', size);
  await say(alice!, 'hello bob');
  // Bob's client received it (delivered) but has not opened the room: an unread badge.
  await alice!.locator('.message.mine .ticks[data-status=delivered]').waitFor();
  t.is(await room(bob!, name).locator('.unread').textContent(), '1', size);
  await room(bob!, name).click();
  await message(bob!, 'hello bob').waitFor();
  await alice!.locator('.message.mine .ticks[data-status=read]').waitFor();
  t.is(await room(bob!, name).locator('.unread').count(), 0, size);
  // Today's messages sit under a "Today" separator, before the first of them.
  for (const page of [alice!, bob!]) {
    const order = await page.locator('#messages > .day, #messages > .message').evaluateAll(els => els.map(el => (el.classList.contains('day') ? `day ${el.textContent}` : 'message')));
    t.deepEqual(order, ['day Today', 'message'], size);
  }
  t.deepEqual(t.context.sides.flatMap(side => side.errors), [], size);
});

atBothSizes('a reaction and an edit propagate to the other browser', async (t, size) => {
  const [alice, bob] = await open(t, size, 'alice', 'bob');
  const name = await newRoom(alice!, 'group', ['bob']);
  await say(alice!, 'react to this');
  await enter(bob!, name);
  await act(bob!, 'react to this', 'react 👍');
  await message(alice!, 'react to this').locator('.reactions span', { hasText: '👍 1' }).waitFor();
  await startCompose(alice!, 'react to this', 'Edit');
  await alice!.fill('#text', 'edited text');
  await alice!.press('#text', 'Enter');
  await message(bob!, 'edited text').locator('.edited').waitFor();
  t.is(await message(bob!, 'react to this').count(), 0, size);
  t.is(await message(bob!, 'edited text').locator('.reactions span').textContent(), '👍 1', size);
});

atBothSizes('reply, forward (naming whose message it was) and delete', async (t, size) => {
  const [alice, bob] = await open(t, size, 'alice', 'bob');
  const first = await newRoom(alice!, 'group', ['bob']);
  const second = await newRoom(alice!, 'channel', ['bob']);
  await enter(alice!, first);
  await say(alice!, 'question?');
  await enter(bob!, first);
  await startCompose(bob!, 'question?', 'Reply');
  await say(bob!, 'answer!');
  await message(alice!, 'answer!').locator('.quote', { hasText: 'question?' }).waitFor();
  await startCompose(alice!, 'answer!', 'Forward');
  await alice!.selectOption('#forward-to', { label: second });
  await alice!.click('#forward-send');
  await alice!.waitForSelector(`#room-title:text-is("${second}")`);
  t.is(await message(alice!, 'answer!').locator('.forwarded').innerText(), 'Forwarded from bob', size);
  await enter(bob!, second);
  t.is(await message(bob!, 'answer!').locator('.forwarded').innerText(), 'Forwarded from bob', size);
  await enter(alice!, first);
  await act(alice!, 'question?', 'Delete');
  await enter(bob!, first);
  await message(bob!, 'question?').waitFor({ state: 'detached' });
  t.is(await message(bob!, 'answer!').count(), 1, size);
});

// Both sizes at once, so no user may be the one who leaves in both: carol talks to bob on the
// desktop and to alice on the phone, and each of them goes offline.
const ONE_TO_ONE: Record<ScreenSize, string> = { desktop: 'bob', phone: 'alice' };

atBothSizes('one-to-one chats show the other person, typing stops when the message arrives, presence', async (t, size) => {
  const other = ONE_TO_ONE[size];
  const [carol, peer] = await open(t, size, 'carol', other);
  await carol!.click('#new-direct');
  await carol!.check(`#new-members input[value="${account(other).id}"]`);
  await carol!.click('#new-room button[type=submit]');
  await carol!.waitForSelector(`#room-title:text-is("${other}")`);
  // An empty chat is named for the other person, in the list and the header, never for its type or for yourself.
  await carol!.locator('#messages .empty', { hasText: `Say hi to ${other}` }).waitFor();
  await room(peer!, 'carol').locator('.last', { hasText: 'No messages yet' }).waitFor();
  for (const page of [carol!, peer!]) t.notRegex(await page.locator('body').innerText(), /OneToOneChat/, size);
  await enter(peer!, 'carol');
  t.notRegex(await textOf(carol!, '#room-header'), /carol/, `${size}: carol's header`);
  t.notRegex(await textOf(peer!, '#room-header'), new RegExp(other), `${size}: ${other}'s header`);
  await carol!.locator(`#room-header .dot.online[data-user="${account(other).id}"]`).waitFor();
  await peer!.type('#text', 'typing slowly', { delay: 20 });
  await carol!.locator('#typing', { hasText: `${other} is typing…` }).waitFor();
  await peer!.press('#text', 'Enter');
  await message(carol!, 'typing slowly').waitFor();
  // The indicator lasts 3 s after the last keystroke unless the message itself ends it.
  await carol!
    .waitForFunction("document.getElementById('typing').textContent === ''", null, { timeout: 500 })
    .catch(() => Promise.reject(new Error(`"${other} is typing…" stays after the message arrived`)));
  await peer!.close();
  await carol!.locator(`#room-header .dot:not(.online)[data-user="${account(other).id}"]`).waitFor();
});

browserTest('history scrolls back page by page', async t => {
  const alice = apiAs('alice');
  const created = await alice('POST', '/rooms', { type: 'GroupChat', name: `history ${randomBytes(3).toString('hex')}`, participants: [account('bob').id] });
  for (let i = 1; i <= 45; i++) await alice('POST', `/rooms/${created.id}/messages`, { content: `line ${i}` });
  await Promise.all(
    SCREEN_SIZES.map(async size => {
      const [bob] = await open(t, size, 'bob');
      await enter(bob!, created.name);
      await message(bob!, 'line 45').waitFor();
      t.is(await bob!.locator('.message').count(), 30, size);
      const separator = await bob!.locator('#messages .day').first().elementHandle();
      // The list re-renders as receipts arrive: click the button as it is now rather than wait for it to hold still.
      await bob!.locator('#older').dispatchEvent('click');
      await message(bob!, 'line 1').waitFor();
      t.is(await bob!.locator('.message').count(), 45, size);
      // What did not change is kept, not drawn again (a redraw loses the pointer's hover): the day's
      // separator, which nothing of this changes (a message row changes as its receipts come in).
      t.true(await separator!.evaluate(row => row.isConnected), `${size}: the rows already shown were drawn again`);
    }),
  );
});

/** The reconnecting banner sits above the header, never over it. */
async function bannerClearOfHeader(page: Page, who: string): Promise<void> {
  const banner = await page.locator('#banner').boundingBox();
  const header = await page.locator('#room-header').boundingBox();
  assert(!!banner && !!header, `${who}: the banner or the header is not shown`);
  assert(banner!.y + banner!.height <= header!.y + 0.5, `${who}: the banner (${JSON.stringify(banner)}) covers the header (${JSON.stringify(header)})`);
}

browserTest('the server restarts while one side is typing: after reconnecting the missed messages appear, none twice', async t => {
  // Both sizes in one restart: a pair of pages per size, each pair in its own room.
  const pairs = await Promise.all(
    SCREEN_SIZES.map(async size => {
      const [alice, bob] = await open(t, size, 'alice', 'bob');
      const name = await newRoom(alice!, 'group', ['bob']);
      await enter(bob!, name);
      await say(bob!, 'before the restart');
      await message(alice!, 'before the restart').waitFor();
      await alice!.type('#text', 'a draft', { delay: 10 });
      return { size, alice: alice!, bob: bob!, aliceContext: alice!.context() };
    }),
  );
  // Alice's browser goes offline (her page shows it at once) and stays so while the server
  // restarts and Bob talks; Bob's page notices the server going away by itself.
  for (const { size, alice, aliceContext } of pairs) {
    await aliceContext.setOffline(true);
    await alice.waitForSelector('body[data-connection=reconnecting]');
    await bannerClearOfHeader(alice, `alice at the ${size} size`);
  }
  await demo.stop();
  for (const { size, bob } of pairs) {
    await bob.waitForSelector('body[data-connection=reconnecting]');
    await bannerClearOfHeader(bob, `bob at the ${size} size`);
  }
  await demo.start();
  await Promise.all(
    pairs.map(async ({ alice, bob, aliceContext, size }) => {
      await bob.waitForSelector('body[data-connection=online]', { timeout: 20_000 });
      for (const text of ['missed one', 'missed two', 'missed three']) await say(bob, text);
      t.is(await message(alice, 'missed one').count(), 0, size);
      await aliceContext.setOffline(false);
      await alice.waitForSelector('body[data-connection=online]', { timeout: 20_000 });
      for (const text of ['missed one', 'missed two', 'missed three']) await message(alice, text).waitFor();
      await alice.waitForTimeout(500);
      for (const text of ['before the restart', 'missed one', 'missed two', 'missed three']) t.is(await message(alice, text).count(), 1, `${size}: ${text}`);
      // The draft survived, and goes out now.
      t.is(await alice.inputValue('#text'), 'a draft', size);
      await alice.press('#text', 'Enter');
      await message(bob, 'a draft').waitFor();
    }),
  );
});
