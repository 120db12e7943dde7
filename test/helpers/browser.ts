/**
 * Real Chromium, headless, driven by playwright-core: Debian's `chromium` (CHROMIUM_PATH to use
 * another), at a phone's or a desktop's screen size. Tests that need it skip where it is not installed.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import type { DemoAccount } from './demo-process.js';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_AVAILABLE = existsSync(CHROMIUM_PATH);
const ROOT = resolve(import.meta.dirname, '..', '..', '..');
const SCREENSHOTS = join(ROOT, '.tmp', 'browser-failures');

/** The screens the demo is tested on: a phone held upright (touch, no hover) and a laptop. */
export type ScreenSize = 'phone' | 'desktop';
export const SCREEN_SIZES: readonly ScreenSize[] = ['phone', 'desktop'];
const SCREENS: Record<ScreenSize, BrowserContextOptions> = {
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
  desktop: { viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 },
};

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

/** One user in one browser context (its own storage), signed in through the demo's sign-in link. */
export interface Side {
  readonly account: DemoAccount;
  readonly size: ScreenSize;
  readonly context: BrowserContext;
  readonly page: Page;
  /** Messages the page logged as errors. */
  readonly errors: string[];
}

/** `pixelRatio` 2 draws a sharp picture for documentation; tests draw at 1, which costs a quarter of the pixels. */
export async function signIn(browser: Browser, url: string, account: DemoAccount, size: ScreenSize = 'desktop', pixelRatio = 1): Promise<Side> {
  const context = await browser.newContext({ ...SCREENS[size], deviceScaleFactor: pixelRatio });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', error => errors.push(error.message));
  await page.goto(`${url}/#token=${account.token}`);
  await page.waitForSelector('body[data-connection=online]');
  return { account, size, context, page, errors };
}

/** Saves a screenshot of each side of a failed test; returns their folder, relative to the project. */
export async function screenshots(title: string, sides: readonly Side[]): Promise<string> {
  const folder = join(SCREENSHOTS, title.replace(/[^a-z0-9]+/gi, '-').slice(0, 60));
  mkdirSync(folder, { recursive: true });
  for (const [index, side] of sides.entries()) {
    const file = join(folder, `${index + 1}-${side.size}-${side.account.username}.png`);
    await side.page.screenshot({ path: file }).catch(() => {});
  }
  return relative(ROOT, folder);
}
