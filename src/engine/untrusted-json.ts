/**
 * The bounds every piece of client JSON is held to before anything reads it: how deep it nests,
 * and text PostgreSQL cannot store (NUL characters, unpaired UTF-16 surrogates). REST bodies and
 * query strings and WebSocket frames all pass through `checkUntrustedJson`.
 */
import { ValidationFailed } from '../errors/chat-error.js';

/** How deep client JSON may nest (the frame or body itself is level 1). */
export const MAX_INPUT_DEPTH = 32;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a string cannot be stored as text, or undefined when it can. */
export function unstorableText(text: string): string | undefined {
  if (text.includes('\u0000')) return 'Contains a NUL character (\\u0000), which cannot be stored.';
  if (LONE_SURROGATE.test(text)) return 'Contains an unpaired surrogate (\\uD800-\\uDFFF): not valid Unicode text.';
  return undefined;
}

/**
 * Throws `ValidationFailed` naming the field (`content`, `extra_fields.metadata.a`, `media[2].caption`)
 * when `value` nests deeper than `maxDepth` or holds a string or key that cannot be stored.
 * Iterative, so no input can exhaust the stack.
 */
export function checkUntrustedJson(value: unknown, { maxDepth = MAX_INPUT_DEPTH, field = '' }: { maxDepth?: number; field?: string } = {}): void {
  const stack: { value: unknown; depth: number; path: string }[] = [{ value, depth: 0, path: field }];
  while (stack.length > 0) {
    const { value: item, depth, path } = stack.pop()!;
    if (typeof item === 'string') {
      const problem = unstorableText(item);
      if (problem) throw fieldError(path, problem);
      continue;
    }
    if (typeof item !== 'object' || item === null) continue;
    if (depth + 1 > maxDepth) throw fieldError(path, `Nested deeper than ${maxDepth} levels.`);
    if (Array.isArray(item)) {
      for (let i = item.length - 1; i >= 0; i--) stack.push({ value: item[i], depth: depth + 1, path: `${path}[${i}]` });
      continue;
    }
    const entries: [string, unknown][] = Object.entries(item);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, child] = entries[i]!;
      const childPath = path ? `${path}.${key}` : key;
      const problem = unstorableText(key);
      if (problem) throw fieldError(path || 'data', `A key ${problem.charAt(0).toLowerCase()}${problem.slice(1)}`);
      stack.push({ value: child, depth: depth + 1, path: childPath });
    }
  }
}

function fieldError(path: string, message: string): ValidationFailed {
  return ValidationFailed.fromFields({ [path || 'data']: [message] });
}
