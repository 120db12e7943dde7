/**
 * The demo client's day separators (fixtures/demo/web/days.js, the module the page loads): which
 * day a message falls on and what its separator says, seen from a fixed "now".
 */
import test from 'ava';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

interface Days {
  dayKey(date: Date): string;
  dayLabel(date: Date, now?: Date): string;
  withDaySeparators<T>(items: T[], timeOf: (item: T) => string | number | Date, now?: Date): Array<{ day: string; label: string } | { item: T }>;
}
const ROOT = resolve(import.meta.dirname, '..', '..');
const days = (await import(pathToFileURL(join(ROOT, 'fixtures', 'demo', 'web', 'days.js')).href)) as Days;
// Local times: the client groups by the reader's own calendar.
const now = new Date(2026, 10, 30, 0, 5); // Monday 30 November 2026, 00:05

test('today and yesterday by the calendar, not by 24 hours', t => {
  t.is(days.dayLabel(new Date(2026, 10, 30, 0, 1), now), 'Today');
  t.is(days.dayLabel(new Date(2026, 10, 29, 23, 59), now), 'Yesterday', 'six minutes ago, before midnight');
  t.is(days.dayLabel(new Date(2026, 10, 29, 0, 0), now), 'Yesterday');
});

test('within the week a weekday, earlier a date, from another year with the year', t => {
  t.is(days.dayLabel(new Date(2026, 10, 26, 12), now), new Date(2026, 10, 26).toLocaleDateString(undefined, { weekday: 'long' }));
  const older = days.dayLabel(new Date(2026, 10, 2, 12), now);
  t.regex(older, /2/);
  t.notRegex(older, /2026/);
  t.regex(days.dayLabel(new Date(2025, 11, 24, 12), now), /2025/);
});

test('a separator goes before the first message of each day, and only there', t => {
  const messages = [new Date(2026, 10, 29, 23, 50), new Date(2026, 10, 30, 0, 1), new Date(2026, 10, 30, 0, 4)].map(date => ({ created_at: date.toISOString() }));
  const rows = days.withDaySeparators(messages, m => m.created_at, now);
  t.deepEqual(
    rows.map(row => ('item' in row ? 'message' : row.label)),
    ['Yesterday', 'message', 'Today', 'message', 'message'],
  );
  t.deepEqual(days.withDaySeparators([], m => m, now), []);
  t.is(days.dayKey(new Date(2026, 0, 5, 23, 59)), '2026-01-05');
});
