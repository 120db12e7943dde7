#!/usr/bin/env node
/**
 * Runs after `npm run build`: marks the compiled commands of package.json `bin` executable, so
 * `npx chat-migrate` works inside this repository too (npm sets the bit only when it installs a
 * package, and tsc writes files without it). Plain JavaScript, as it runs before anything is built.
 */
import { chmodSync, existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { bin = {} } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
for (const file of Object.values(typeof bin === 'string' ? { bin } : bin)) {
  const path = join(root, file);
  if (!existsSync(path)) {
    console.error(`package.json bin ${file} was not built`);
    process.exitCode = 1;
    continue;
  }
  // Execute permission wherever there is read permission (0644 → 0755).
  const mode = statSync(path).mode & 0o777;
  chmodSync(path, mode | ((mode & 0o444) >> 2));
}
