/**
 * Real Chromium, headless, driven by playwright-core: Debian's `chromium` (CHROMIUM_PATH to use
 * another). Tests that need it skip where it is not installed.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { DemoAccount } from './demo-process.js';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_AVAILABLE = existsSync(CHROMIUM_PATH);
const SCREENSHOTS = resolve(import.meta.dirname, '..', '..', '..', '.tmp', 'browser-failures');

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

/** One user in one browser context (its own storage), signed in through the demo's sign-in link. */
export interface Side {
  readonly account: DemoAccount;
  readonly context: BrowserContext;
  readonly page: Page;
  /** Messages the page logged as errors. */
  readonly errors: string[];
}

export async function signIn(browser: Browser, url: string, account: DemoAccount): Promise<Side> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', error => errors.push(error.message));
  await page.goto(`${url}/#token=${account.token}`);
  await page.waitForSelector('body[data-connection=online]');
  return { account, context, page, errors };
}

/** Saves a screenshot of each side, for a failed test. */
export async function screenshots(title: string, sides: readonly Side[]): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const name = title.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
  for (const side of sides) {
    await side.page.screenshot({ path: join(SCREENSHOTS, `${name}-${side.account.username}.png`) }).catch(() => {});
  }
}
