/**
 * Reading client input (wire names, any JSON) into typed values, with field errors that say what
 * was expected. Every action validates through these before it touches the database.
 */
import { ValidationFailed } from '../errors/chat-error.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a value is a UUID string. */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/** The action's data as an object (an absent one reads as empty). */
export function objectInput(value: unknown, field = 'data'): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw ValidationFailed.fromFields({ [field]: ['Expected an object.'] });
  return value as Record<string, unknown>;
}

/** A required id. */
export function requiredId(value: unknown, field: string): string {
  if (value === undefined || value === null || value === '') throw ValidationFailed.fromFields({ [field]: ['This field is required.'] });
  if (!isUuid(value)) throw ValidationFailed.fromFields({ [field]: [`"${String(value)}" is not a valid id.`] });
  return value.toLowerCase();
}

/** An optional id. */
export function optionalId(value: unknown, field: string): string | undefined {
  return value === undefined || value === null ? undefined : requiredId(value, field);
}

/** One id or a list of ids (the original's `message_id`), without duplicates, in order. */
export function idList(value: unknown, field: string, { max = 500 }: { max?: number } = {}): string[] {
  const items = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  if (items.length === 0) throw ValidationFailed.fromFields({ [field]: ['At least one id is required.'] });
  if (items.length > max) throw ValidationFailed.fromFields({ [field]: [`At most ${max} ids at once.`] });
  const ids = items.filter(isUuid);
  if (ids.length < items.length) {
    const bad = items.filter(item => !isUuid(item));
    throw ValidationFailed.fromFields({ [field]: [`Not valid ids: ${bad.map(b => JSON.stringify(b)).join(', ')}.`] });
  }
  return [...new Set(ids.map(id => id.toLowerCase()))];
}

/** A list of ids that may be empty (members of a new room). */
export function optionalIdList(value: unknown, field: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw ValidationFailed.fromFields({ [field]: ['Expected a list of ids.'] });
  return value.length === 0 ? [] : idList(value, field);
}

/** One of a fixed set of strings. */
export function oneOf<T extends string>(value: unknown, field: string, allowed: readonly T[]): T {
  const found = allowed.find(option => option === value);
  if (found === undefined) throw ValidationFailed.fromFields({ [field]: [`Expected one of: ${allowed.join(', ')}.`] });
  return found;
}

/** A positive whole number, within bounds. */
export function positiveInt(value: unknown, field: string, { max }: { max?: number } = {}): number {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) throw ValidationFailed.fromFields({ [field]: ['Expected a positive whole number.'] });
  if (max !== undefined && n > max) throw ValidationFailed.fromFields({ [field]: [`At most ${max}.`] });
  return n;
}
