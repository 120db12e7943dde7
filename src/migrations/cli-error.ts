/** Errors of the `chat-migrate` command line, each with its exit code. */

/** Exit codes of `chat-migrate`. */
export const EXIT = {
  /** Done; nothing wrong. */
  ok: 0,
  /** The migrations have problems, or the command refused to act on them. */
  problems: 1,
  /** The command line is wrong. */
  usage: 2,
  /** The project's config cannot be found, loaded or used. */
  config: 3,
  /** A file could not be written, or the database could not be reached. */
  io: 4,
} as const;

/** An error that ends `chat-migrate` with a message and an exit code. */
export class CliError extends Error {
  constructor(
    readonly exitCode: number,
    message: string,
  ) {
    super(message);
  }

  static usage(message: string): CliError {
    return new CliError(EXIT.usage, `${message}\nRun chat-migrate --help for usage.`);
  }

  static config(message: string): CliError {
    return new CliError(EXIT.config, message);
  }

  static io(message: string): CliError {
    return new CliError(EXIT.io, message);
  }
}
