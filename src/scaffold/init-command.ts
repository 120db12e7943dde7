/** `realtime-chat-messaging init [dir]`: parses the command line, writes the app, says what to do next. */
import { resolve } from 'node:path';
import { ChatError } from '../errors/chat-error.js';
import { scaffoldApp } from './scaffold.js';

/** Exit codes of the command. */
export const INIT_EXIT = { ok: 0, refused: 1, usage: 2, io: 4 } as const;

/** Where the command writes. */
export interface InitOutput {
  out(text: string): void;
  err(text: string): void;
}

/** The help text. */
export const INIT_HELP = `Usage: realtime-chat-messaging init [dir] [options]

Writes a working chat application into dir (default: the current folder), which must be new or
empty: package.json, tsconfig.json, mikro-orm.config.ts, src/ (the Koa app with the REST API, the
WebSocket server and /health; a script that creates a user and prints a token; an example of a
swapped model) and migrations/.

Options:
  --package <spec>  how the app's package.json names realtime-chat-messaging: a version range
                    (default ^<this version>), a git URL, or the path of a packed tarball
  --name <name>     the app's package name (default: the folder's name)
  -h, --help        this text

Exit codes: 0 written, 1 refused (the folder is not empty), 2 bad command line, 4 a file could not be written.`;

interface InitArgs {
  dir: string;
  packageSpec?: string;
  name?: string;
  help: boolean;
}

class UsageError extends Error {}

function parseInitArgs(argv: readonly string[]): InitArgs {
  const args: InitArgs = { dir: '.', help: false };
  const [command, ...rest] = argv;
  if (command === '-h' || command === '--help') return { ...args, help: true };
  if (command !== 'init') throw new UsageError(command ? `unknown command '${command}': the only command is init` : 'a command is required: init');
  const positional: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    const value = () => {
      const next = rest[++i];
      if (next === undefined || next.startsWith('-')) throw new UsageError(`${arg} needs a value`);
      return next;
    };
    if (arg === '-h' || arg === '--help') args.help = true;
    else if (arg === '--package') args.packageSpec = value();
    else if (arg === '--name') args.name = value();
    else if (arg.startsWith('-')) throw new UsageError(`unknown option '${arg}'`);
    else positional.push(arg);
  }
  if (positional.length > 1) throw new UsageError(`one folder at most, got ${positional.join(' ')}`);
  if (positional[0]) args.dir = positional[0];
  return args;
}

/** Runs the command; returns its exit code. */
export function initMain(argv: readonly string[], io: InitOutput, cwd = process.cwd()): number {
  let args: InitArgs;
  try {
    args = parseInitArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`realtime-chat-messaging: ${error.message}\nRun realtime-chat-messaging --help for usage.`);
    return INIT_EXIT.usage;
  }
  if (args.help) {
    io.out(INIT_HELP);
    return INIT_EXIT.ok;
  }
  try {
    scaffoldApp(resolve(cwd, args.dir), { packageSpec: args.packageSpec, name: args.name });
    const shown = args.dir;
    io.out(`Wrote a chat app into ${shown}. Next:
  ${shown === '.' ? '' : `cd ${shown} && `}npm install
  npm run dev                    # builds, migrates, serves on http://127.0.0.1:3000
  npm run create-user -- alice   # (after a build, server stopped) prints alice's token
To swap a model, read src/models/custom-message.ts before the first migrate.`);
    return INIT_EXIT.ok;
  } catch (error) {
    if (error instanceof ChatError) {
      io.err(`realtime-chat-messaging: ${error.message}`);
      return INIT_EXIT.refused;
    }
    const code = (error as NodeJS.ErrnoException).code;
    if (code && /^E[A-Z]+$/.test(code)) {
      io.err(`realtime-chat-messaging: could not write the app: ${(error as Error).message}`);
      return INIT_EXIT.io;
    }
    throw error;
  }
}
