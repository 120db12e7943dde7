/** `npm run docs`: rewrites docs/websocket.md from a live server. */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { websocketExamples } from './ws-examples.js';

const target = resolve(import.meta.dirname, '..', '..', '..', 'docs', 'websocket.md');
writeFileSync(target, await websocketExamples());
console.log(`wrote ${target}`);
