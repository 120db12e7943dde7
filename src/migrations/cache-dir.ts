/** Where the migration tool keeps what it learnt between runs: `node_modules/.cache/chat-migrate/<project>`. */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** The cache folder of the project whose config is `configFile` (created if missing). */
export function cacheDirFor(configFile: string): string {
  const id = createHash('sha1').update(configFile).digest('hex').slice(0, 16);
  let dir = dirname(configFile);
  let base = join(tmpdir(), 'chat-migrate-cache');
  for (;;) {
    if (existsSync(join(dir, 'node_modules'))) {
      base = join(dir, 'node_modules', '.cache', 'chat-migrate');
      break;
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  const out = join(base, id);
  mkdirSync(out, { recursive: true });
  return out;
}
