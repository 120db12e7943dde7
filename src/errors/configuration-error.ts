/** Start-up configuration problems: every problem found, each with the way to fix it. */
import { ChatError } from './chat-error.js';

/** One problem in the settings: where it is, what is wrong, how to fix it. */
export interface ConfigurationProblem {
  /** Settings path, e.g. `models.Message`. */
  readonly path: string;
  /** What is wrong and what to do about it. */
  readonly message: string;
}

/** The chat settings are invalid; `problems` lists every one found, sorted by path. */
export class ChatConfigurationError extends ChatError {
  readonly problems: readonly ConfigurationProblem[];

  constructor(problems: readonly ConfigurationProblem[]) {
    const sorted = [...problems].sort((a, b) => a.path.localeCompare(b.path) || a.message.localeCompare(b.message));
    super(
      'configuration_error',
      `Invalid realtime-chat-messaging settings:\n${sorted.map(p => `  - ${p.path}: ${p.message}`).join('\n')}`,
      sorted,
    );
    this.problems = sorted;
  }
}
