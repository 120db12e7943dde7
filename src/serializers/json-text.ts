/**
 * JSON that arrives as text (a history page built by PostgreSQL) and leaves as text (a response, a
 * frame) need not be parsed in between: parsing and writing again a page of fifty messages costs
 * more server CPU than the rest of the request. `withJsonText` gives an object fields that hold
 * such text; reading a field parses it (then it is an ordinary property, free to change), and
 * `jsonText` writes the fields nobody read as the text they hold. Anything else that writes the
 * object (`JSON.stringify`, a logger) sees the parsed value, so nothing depends on who writes it.
 */
import { randomBytes } from 'node:crypto';

/** The text of each field not read yet, per object. */
const unread = new WeakMap<object, Map<string, string>>();

/** While `jsonText` writes: the texts its markers stand for. */
let writing: string[] | undefined;

/** A JSON string no value of ours holds: a marker stands where a field's text goes. */
const MARKER = `\u0000json-text-${randomBytes(12).toString('hex')}-`;
const MARKERS = new RegExp(`"${JSON.stringify(MARKER).slice(1, -1).replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}(\\d+)"`, 'g');

/**
 * `fields`, with each key of `texts` (already a key of `fields`, which keeps its place in the
 * order of keys) holding the JSON value whose text is given. Returns `fields`.
 */
export function withJsonText<T extends object>(fields: T, texts: Partial<Record<keyof T & string, string>>): T {
  const pending = new Map<string, string>();
  for (const [key, text] of Object.entries(texts) as [string, string][]) {
    pending.set(key, text);
    Object.defineProperty(fields, key, {
      enumerable: true,
      configurable: true,
      get(this: T) {
        const value: unknown = JSON.parse(text);
        settle(this, key, value);
        return value;
      },
      set(this: T, value: unknown) {
        settle(this, key, value);
      },
    });
  }
  unread.set(fields, pending);
  Object.defineProperty(fields, 'toJSON', { enumerable: false, configurable: true, value: toJSON });
  return fields;
}

/** The field becomes a plain property holding `value`; its text is forgotten. */
function settle(object: object, key: string, value: unknown): void {
  Object.defineProperty(object, key, { value, enumerable: true, configurable: true, writable: true });
  unread.get(object)?.delete(key);
}

/** While `jsonText` writes: markers for the fields not read; otherwise the object as it reads. */
function toJSON(this: object): object {
  const pending = unread.get(this);
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(this)) {
    const text = writing && pending?.get(key);
    if (text === undefined) {
      copy[key] = (this as Record<string, unknown>)[key];
      continue;
    }
    copy[key] = `${MARKER}${writing!.length}`;
    writing!.push(text);
  }
  return copy;
}

/** Whether `value` was given fields by `withJsonText` that nobody has read yet. */
export function holdsJsonText(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (unread.get(value)?.size ?? 0) > 0;
}

/** `JSON.stringify(value)`, with the fields `withJsonText` gave written as their text. */
export function jsonText(value: unknown): string {
  const outer = writing;
  writing = [];
  try {
    const written = JSON.stringify(value);
    const texts = writing;
    return texts.length === 0 ? written : written.replace(MARKERS, (_, n: string) => texts[Number(n)]!);
  } finally {
    writing = outer;
  }
}
