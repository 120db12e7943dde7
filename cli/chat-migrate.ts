#!/usr/bin/env node
/** The `chat-migrate` command (package.json `bin`): a thin entry; the logic lives in src/migrations. */
import { main } from '../src/migrations/cli/main.js';

const write = (stream: NodeJS.WriteStream) => (text: string) => void stream.write(`${text}\n`);
// A reader that stops early (chat-migrate graph | head) is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', error => {
    if ((error as NodeJS.ErrnoException).code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}
process.exitCode = await main(process.argv.slice(2), { out: write(process.stdout), err: write(process.stderr) });
