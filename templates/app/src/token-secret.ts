/**
 * The secret that signs the chat's tokens: CHAT_TOKEN_SECRET, else one made on first use and kept
 * in .data/, so tokens printed by create-user stay valid across restarts.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';

const FILE = '.data/token-secret';

/** The token secret of this app. */
export function tokenSecret(): string {
  if (process.env.CHAT_TOKEN_SECRET) return process.env.CHAT_TOKEN_SECRET;
  if (!existsSync(FILE)) {
    mkdirSync('.data', { recursive: true });
    // 'wx': two processes starting at once keep the first one's secret.
    try {
      writeFileSync(FILE, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return readFileSync(FILE, 'utf8').trim();
}
