import test from 'ava';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptyScratch, skippedSuitesReport } from './helpers/suite-report.js';
import { ROOT } from './helpers/project.js';

const TESTS = join(ROOT, 'dist', 'test');

test('npm test names the suites a missing Chromium or redis-server skipped', t => {
  const lines = skippedSuitesReport(TESTS, [
    { flag: 'CHROMIUM_AVAILABLE', available: false, missing: 'Chromium (none at /nowhere)' },
    { flag: 'REDIS_AVAILABLE', available: false, missing: 'redis-server' },
  ]);
  t.is(lines.length, 2);
  t.regex(lines[0]!, /^Skipped for want of Chromium \(none at \/nowhere\): .*browser-chat\.test/);
  t.regex(lines[0]!, /demo-two-processes\.test/);
  t.regex(lines[1]!, /^Skipped for want of redis-server: .*ws-cluster\.test/);
  t.notRegex(lines[1]!, /browser-chat/);
});

test('npm test says when nothing was skipped for want of a tool', t => {
  t.deepEqual(skippedSuitesReport(TESTS, [{ flag: 'CHROMIUM_AVAILABLE', available: true, missing: 'Chromium' }]), [
    'No suite was skipped for want of a tool: Chromium and redis-server are installed.',
  ]);
});

test('npm test empties the scratch folder but keeps the screenshots of failed browser tests', t => {
  const dir = mkdtempSync(join(tmpdir(), 'scratch-'));
  try {
    mkdirSync(join(dir, 'fixtures-1234', 'deep'), { recursive: true });
    writeFileSync(join(dir, 'fixtures-1234', 'deep', 'file'), 'x');
    mkdirSync(join(dir, 'browser-failures'));
    writeFileSync(join(dir, 'browser-failures', 'alice.png'), 'png');
    emptyScratch(dir, new Set(['browser-failures']));
    t.false(existsSync(join(dir, 'fixtures-1234')));
    t.true(existsSync(join(dir, 'browser-failures', 'alice.png')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
