/**
 * The package's refusals under MikroORM's own CLI (`npx mikro-orm-esm migration:create`,
 * `migration:up`...). Its commands run through yargs, which answers any error a command throws
 * with the whole help and the error's stack; a refusal of the package's migrator (a `ChatError`)
 * is a message for the user, so there it is printed alone on stderr and the process ends with
 * exit code 1, as MikroORM's own `migration:check` ends. Called from an app, the migrator throws.
 */
import { realpathSync } from 'node:fs';
import { ChatError } from '../errors/chat-error.js';

const CLI_FOLDER = /[\\/]@mikro-orm[\\/]cli[\\/]/;

/** Whether this process is MikroORM's CLI (`npx mikro-orm-esm` is a link to it). */
export function runByMikroOrmCli(script: string | undefined = process.argv[1]): boolean {
  if (!script) return false;
  try {
    return CLI_FOLDER.test(realpathSync(script));
  } catch {
    return CLI_FOLDER.test(script);
  }
}

/**
 * Under MikroORM's CLI, ends the process on a refusal: `close` first (the database connection),
 * then the message, exit code 1. Returns otherwise, for the caller to throw `error`.
 */
export async function endCliOnRefusal(error: unknown, close: () => Promise<void>): Promise<void> {
  if (!(error instanceof ChatError) || !runByMikroOrmCli()) return;
  try {
    await close();
  } catch {
    // The process ends anyway.
  }
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}
