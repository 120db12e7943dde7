/** The `chat-migrate` command line: commands, options, and what is wrong with a bad one. */
import { didYouMean } from '../../settings/suggest.js';
import { isSwapToken, SWAP_TOKENS } from '../../swappable/tokens.js';
import { CliError } from '../cli-error.js';

/** The commands. */
export const COMMANDS = ['check', 'fix', 'merge', 'graph', 'plan', 'migrate', 'swap'] as const;
/** A command. */
export type Command = (typeof COMMANDS)[number];

/** A parsed command line. */
export interface Args {
  readonly command?: Command;
  readonly help: boolean;
  readonly config?: string;
  readonly cache: boolean;
  readonly dryRun: boolean;
  readonly format: 'text' | 'dot';
  readonly verbose: boolean;
  /** `swap`'s model token. */
  readonly token?: string;
  /** `merge`'s app label (none: every app). */
  readonly app?: string;
}

const OPTIONS_OF: Record<Command, readonly string[]> = {
  check: ['--config', '--no-cache', '--verbose'],
  fix: ['--config', '--no-cache', '--dry-run', '--verbose'],
  merge: ['--config', '--no-cache', '--dry-run', '--verbose'],
  graph: ['--config', '--no-cache', '--format'],
  plan: ['--config', '--no-cache'],
  migrate: ['--config', '--no-cache'],
  swap: ['--config', '--no-cache', '--dry-run'],
};

/** Every option of some command. */
const ALL_OPTIONS = [...new Set([...Object.values(OPTIONS_OF).flat(), '--help'])];

/** Parses `argv` (without node and the script); throws a usage error for anything it does not know. */
export function parseArgs(argv: readonly string[]): Args {
  let command: Command | undefined;
  let help = false;
  let config: string | undefined;
  let cache = true;
  let dryRun = false;
  let verbose = false;
  let format: 'text' | 'dot' = 'text';
  let token: string | undefined;
  let app: string | undefined;
  const seen: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '' || (inline === undefined && v.startsWith('-'))) throw CliError.usage(`${flag} needs a value`);
      return v;
    };
    if (flag === '-h' || flag === '--help') help = true;
    else if (flag === '--config' || flag === '-c') config = value();
    else if (flag === '--no-cache') cache = false;
    else if (flag === '--dry-run') dryRun = true;
    else if (flag === '--verbose') verbose = true;
    else if (flag === '--format') {
      const v = value();
      if (v !== 'text' && v !== 'dot') throw CliError.usage(`--format takes text or dot, not '${v}'`);
      format = v;
    } else if (flag === 'help' && !command) help = true;
    else if (flag.startsWith('-')) throw CliError.usage(`unknown option ${flag}.${didYouMean(flag, ALL_OPTIONS)}`);
    else if (!command && (COMMANDS as readonly string[]).includes(flag)) command = flag as Command;
    else if (!command) throw CliError.usage(`unknown command '${flag}' (commands: ${COMMANDS.join(', ')}).${didYouMean(flag, COMMANDS)}`);
    else if (command === 'swap' && token === undefined) token = flag;
    else if (command === 'merge' && app === undefined) app = flag;
    else throw CliError.usage(`unexpected argument '${flag}'`);
    if (flag.startsWith('-')) seen.push(flag === '-c' ? '--config' : flag);
  }
  if (command && !help) {
    for (const flag of seen) {
      if (flag !== '-h' && flag !== '--help' && !OPTIONS_OF[command].includes(flag)) throw CliError.usage(`${command} does not take ${flag}`);
    }
  }
  if (command === 'swap' && !help) {
    if (token === undefined) throw CliError.usage('swap needs the model token to swap, e.g. chat-migrate swap Message');
    if (!isSwapToken(token)) throw CliError.usage(`swap: unknown model token '${token}'.${didYouMean(token, SWAP_TOKENS)} Tokens: ${SWAP_TOKENS.join(', ')}`);
  }
  return { command, help, config, cache, dryRun, format, verbose, ...(token !== undefined ? { token } : {}), ...(app !== undefined ? { app } : {}) };
}
