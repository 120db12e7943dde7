/**
 * `npm test` after the build: runs ava with the arguments given (`npm test -- --tap` for TAP), then
 * says which suites were skipped for want of Chromium or redis-server, and empties `.tmp/` (the
 * tests' scratch folders; screenshots of failed browser tests are kept). Exits with ava's code.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { CHROMIUM_AVAILABLE, CHROMIUM_PATH } from './helpers/browser.js';
import { ROOT } from './helpers/project.js';
import { REDIS_AVAILABLE } from './helpers/redis-server.js';
import { emptyScratch, skippedSuitesReport, type Requirement } from './helpers/suite-report.js';

const REQUIREMENTS: readonly Requirement[] = [
  { flag: 'CHROMIUM_AVAILABLE', available: CHROMIUM_AVAILABLE, missing: `Chromium (none at ${CHROMIUM_PATH}; install it or set CHROMIUM_PATH)` },
  { flag: 'REDIS_AVAILABLE', available: REDIS_AVAILABLE, missing: 'redis-server (install Redis)' },
];

const args = process.argv.slice(2);
const ava = spawn(process.execPath, [join(ROOT, 'node_modules', 'ava', 'entrypoints', 'cli.mjs'), ...args], { cwd: ROOT, stdio: 'inherit' });
const code = await new Promise<number>(resolve => ava.once('exit', (status, signal) => resolve(status ?? (signal ? 1 : 0))));
emptyScratch(join(ROOT, '.tmp'), new Set(['browser-failures']));
// In TAP output these are comment lines, which a TAP reader passes over.
const prefix = args.includes('--tap') ? '# ' : '';
for (const line of skippedSuitesReport(join(ROOT, 'dist', 'test'), REQUIREMENTS)) console.log(`${prefix}${line}`);
process.exitCode = code;
