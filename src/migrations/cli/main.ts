/** `chat-migrate`: parses the command line, runs a command, and maps every failure to an exit code. */
import { dirname } from 'node:path';
import { CliError, EXIT } from '../cli-error.js';
import { parseArgs } from './args.js';
import { helpText } from './help.js';
import type { Output } from './output.js';
import { configFileOf } from './project-files.js';

/** Runs `chat-migrate` with `argv` in `cwd`; returns the exit code. */
export async function main(argv: readonly string[], io: Output, cwd = process.cwd()): Promise<number> {
  try {
    const args = parseArgs(argv);
    if (args.help || !args.command) {
      (args.command || args.help ? io.out : io.err)(helpText(args.command));
      return args.help ? EXIT.ok : EXIT.usage;
    }
    const configFile = configFileOf(args.config, cwd);
    // The project is read as if run in its folder: relative migration folders (and a PGlite
    // dataDir) resolve against the config's folder wherever the command was started.
    process.chdir(dirname(configFile));
    switch (args.command) {
      case 'check':
        return await (await import('./check-command.js')).check(configFile, args, io);
      case 'fix':
        return await (await import('./commands.js')).fix(configFile, args, io);
      case 'merge':
        return await (await import('./merge-command.js')).merge(configFile, args, io);
      case 'graph':
        return await (await import('./commands.js')).graph(configFile, args, io);
      case 'plan':
        return await (await import('./database-commands.js')).plan(configFile, args, io);
      case 'migrate':
        return await (await import('./database-commands.js')).migrate(configFile, args, io);
      case 'swap':
        return await (await import('./swap-command.js')).swap(configFile, args, io);
    }
  } catch (error) {
    if (error instanceof CliError) {
      io.err(`chat-migrate: ${error.message}`);
      return error.exitCode;
    }
    io.err(`chat-migrate: unexpected error: ${(error as Error).stack ?? String(error)}`);
    return EXIT.problems;
  }
}
