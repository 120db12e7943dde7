/** Reads a JSON request body with a size limit; malformed or oversized bodies are typed errors. */
import type { Context } from 'koa';
import { HttpError } from './http-errors.js';

/** The default limit of a request body, in bytes. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

/** The parsed body (undefined when there is none). */
export async function readJsonBody(ctx: Context, limit = DEFAULT_BODY_LIMIT): Promise<unknown> {
  const declared = Number(ctx.get('content-length') || 0);
  if (declared > limit) throw new HttpError(413, 'payload_too_large', `The body is larger than ${limit} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  // Without an encoding set, a request stream yields Buffers.
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new HttpError(413, 'payload_too_large', `The body is larger than ${limit} bytes`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  if (!ctx.is('application/json')) throw new HttpError(415, 'unsupported_media_type', 'Send the body as application/json');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, 'invalid_json', `The body is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}
