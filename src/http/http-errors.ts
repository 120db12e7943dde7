/**
 * The one place HTTP maps errors: a `ChatError`'s code (or a database refusal) becomes a status
 * and the JSON body `{ "error": { "code", "message", "details" } }`. Bad input is never a 500.
 */
import type { Context, Next } from 'koa';
import { asChatError } from '../errors/as-chat-error.js';
import { ChatError, NotFound, NotVisible } from '../errors/chat-error.js';
import { consoleLogger, type ChatLogger } from '../logging/chat-logger.js';

/** An HTTP-level failure: bad JSON, a body too large, no credentials. */
export class HttpError extends ChatError {
  constructor(
    readonly status: number,
    code: string,
    message: string,
    details?: unknown,
  ) {
    super(code, message, details);
  }

  static unauthenticated(): HttpError {
    return new HttpError(401, 'unauthenticated', 'Authentication credentials were not provided or are not valid');
  }
}

/** HTTP status of each error code. */
export const STATUS_OF_CODE: Readonly<Record<string, number>> = {
  validation_failed: 400,
  invalid_json: 400,
  unauthenticated: 401,
  permission_denied: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  configuration_error: 500,
};

/** The status and body for an error. */
export function errorResponse(error: unknown): { status: number; body: { error: { code: string; message: string; details?: unknown } } } {
  const asked = asChatError(error);
  // What the user may not see is answered like what does not exist: nothing tells them apart.
  const known = asked instanceof NotVisible ? new NotFound(asked.what, asked.id) : asked;
  if (known) {
    const status = known instanceof HttpError ? known.status : (STATUS_OF_CODE[known.code] ?? 400);
    return { status, body: { error: { code: known.code, message: known.message, ...(known.details !== undefined ? { details: known.details } : {}) } } };
  }
  return { status: 500, body: { error: { code: 'internal_error', message: 'Internal server error' } } };
}

/**
 * Koa middleware turning every thrown error into the JSON error body; the unexpected ones (500) are
 * reported to `logger` (as middleware, `jsonErrors(ctx, next)`: to the console).
 */
export async function jsonErrors(ctx: Context, loggerOrNext: ChatLogger | Next, maybeNext?: Next): Promise<void> {
  const [logger, next] = typeof loggerOrNext === 'function' ? [consoleLogger, loggerOrNext] : [loggerOrNext, maybeNext!];
  try {
    await next();
    if (ctx.status === 404 && ctx.body === undefined) throw new HttpError(404, 'not_found', `No route for ${ctx.method} ${ctx.path}`);
  } catch (error) {
    const { status, body } = errorResponse(error);
    if (status === 500) logger.error(`unexpected error on ${ctx.method} ${ctx.path}`, error);
    ctx.status = status;
    ctx.body = body;
  }
}
