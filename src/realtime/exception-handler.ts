/**
 * `ExceptionHandler`: turns a failed request into its error frame. Subclass it and name the
 * subclass in `exceptionHandlerClass` to change codes or details (or to report errors elsewhere).
 * The server makes it with its `logger`, where `report` sends unexpected errors.
 */
import { consoleLogger, type ChatLogger } from '../logging/chat-logger.js';
import { errorFrame, FrameError, WS_CODES, type ClientRequest } from './protocol.js';

/** An error frame: the socket stays open. */
export interface ErrorFrame {
  readonly error: { readonly code: number; readonly detail: unknown };
  readonly id?: unknown;
}

export class ExceptionHandler {
  constructor(protected readonly logger: ChatLogger = consoleLogger) {}

  /** The frame that answers `request` (absent when the frame could not be read) failing with `error`. */
  toFrame(error: unknown, request?: ClientRequest): ErrorFrame {
    if (error instanceof FrameError) {
      if (error.fieldError) return errorFrame(error.fieldError, error.id);
      return { error: { code: WS_CODES.validationError, detail: error.message }, ...(error.id !== undefined ? { id: error.id } : {}) };
    }
    const frame = errorFrame(error, request?.id);
    if (frame.error.code === WS_CODES.internalError) this.report(error, request);
    return frame;
  }

  /** Reports an unexpected error (the client only learns "Internal server error"). */
  report(error: unknown, request?: ClientRequest): void {
    this.logger.error(`${request ? `'${request.eventType}'` : 'a frame'} failed`, error);
  }
}
