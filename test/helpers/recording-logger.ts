/**
 * A `ChatLogger` that keeps what it is given instead of printing it: a test that makes the server
 * fail on purpose passes one as the `logger` option and checks the failures it expected were
 * reported (and no others), and a passing run prints no stack trace for them.
 */
import type { ChatLogger } from '../../src/index.js';

/** One report. */
export interface LogEntry {
  readonly level: 'error' | 'warn';
  readonly message: string;
  readonly error?: unknown;
}

export class RecordingLogger implements ChatLogger {
  readonly entries: LogEntry[] = [];

  error(message: string, error: unknown): void {
    this.entries.push({ level: 'error', message, error });
  }

  warn(message: string): void {
    this.entries.push({ level: 'warn', message });
  }

  /** Returns the entries so far and forgets them. */
  take(): LogEntry[] {
    return this.entries.splice(0);
  }

  /** The messages of the entries so far, forgotten as they are taken. */
  messages(): string[] {
    return this.take().map(entry => entry.message);
  }
}
