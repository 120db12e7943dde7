/** The `YYYYMMDDhhmmss` stamp (UTC) MikroORM puts in the names of the migrations it creates, and its reading. */

/** The stamp of a moment. */
export function migrationTimestamp(date: Date): string {
  return date.toISOString().replace(/[-T:]/g, '').slice(0, 14);
}

/** The moment a stamp names. */
export function dateOfTimestamp(stamp: string): Date {
  const [y, mo, d, h, mi, s] = [0, 4, 6, 8, 10, 12].map((at, i) => Number(stamp.slice(at, at + (i === 0 ? 4 : 2))));
  return new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, s!));
}
