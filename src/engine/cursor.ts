/**
 * Opaque page cursors: a position in a list ordered by (time, id), as base64url text. Decoding
 * holds a forged cursor to what PostgreSQL can compare: a UUID and a date it can hold.
 */
import { ValidationFailed } from '../errors/chat-error.js';
import { isUuid } from './input.js';

/** A position: the time and id of the last item of a page. */
export interface CursorPosition {
  readonly at: Date;
  readonly id: string;
}

/** The cursor of the position after (time, id). */
export function encodeCursor(at: Date, id: string): string {
  return Buffer.from(`${at.toISOString()}|${id}`).toString('base64url');
}

/** The position a cursor names; a field error on `before` when it is not one this server issued. */
export function decodeCursor(cursor: string): CursorPosition {
  const [time, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const at = new Date(time ?? '');
  // A forged cursor may decode to any date: only those PostgreSQL can hold go on to the query.
  const year = at.getUTCFullYear();
  if (!id || !isUuid(id) || Number.isNaN(year) || year < 1 || year > 9999) throw ValidationFailed.fromFields({ before: ['Not a cursor this server issued.'] });
  return { at, id };
}
