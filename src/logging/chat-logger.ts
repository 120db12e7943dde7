/**
 * `ChatLogger`: where the WebSocket server reports what went wrong without anyone's request
 * failing for it (a handler that threw, a socket task, the lease, the session upkeep, a log read)
 * and set-ups worth a second look. The default writes to the console; pass another as the
 * `logger` option to send them to the application's own logging, or to collect them in a test.
 */

export interface ChatLogger {
  /** An unexpected failure: `message` says what failed (`'message.send' failed`), `error` is what was thrown (any value). */
  error(message: string, error: unknown): void;
  /** A set-up that works but is likely not what was meant. */
  warn(message: string): void;
}

/** Writes to `console.error` and `console.warn`, each line prefixed with the package's name. */
export const consoleLogger: ChatLogger = Object.freeze({
  error: (message: string, error: unknown) => console.error(`realtime-chat-messaging: ${message}:`, error),
  warn: (message: string) => console.warn(`realtime-chat-messaging: ${message}`),
});
