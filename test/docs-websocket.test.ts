/** docs/websocket.md is what a live server sends: regenerated here and compared (`npm run docs` rewrites it). */
import test from 'ava';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { websocketExamples } from './helpers/ws-examples.js';

test('docs/websocket.md shows the frames the server sends today', async t => {
  const committed = readFileSync(resolve(import.meta.dirname, '..', '..', 'docs', 'websocket.md'), 'utf8');
  const live = await websocketExamples();
  const [a, b] = [committed.split('\n'), live.split('\n')];
  const first = a.findIndex((line, i) => line !== b[i]);
  t.is(first === -1 && a.length === b.length ? 'current' : `differs from line ${first + 1}: ${JSON.stringify(a[first])} vs ${JSON.stringify(b[first])}`, 'current', 'run `npm run docs` and review the change');
});
