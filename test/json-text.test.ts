/**
 * Fields that hold JSON text (a history page as PostgreSQL built it) are written as that text, and
 * behave as the parsed value for anyone who reads or changes them.
 */
import test from 'ava';
import { holdsJsonText, jsonText, withJsonText } from '../src/serializers/json-text.js';

const PAGE = '[{"id":"a","content":"<b>hi</b> \\"quoted\\" \\u00e9"},{"id":"b","content":"second"}]';

test('unread fields are written as their text, in the place of their key', t => {
  const result = withJsonText({ results: [] as unknown[], next_cursor: 'c1' }, { results: PAGE });
  t.true(holdsJsonText(result));
  const written = jsonText(result);
  t.is(written, `{"results":${PAGE},"next_cursor":"c1"}`);
  t.deepEqual(JSON.parse(written), { results: JSON.parse(PAGE), next_cursor: 'c1' });
  t.true(holdsJsonText(result), 'writing does not read the field');
});

test('inside a frame, the text is written as it is; JSON.stringify writes the same JSON', t => {
  const frame = { type: 'broadcast_group', eventType: 'roomhistory.dispatch', data: withJsonText({ results: [] as unknown[], next_cursor: null }, { results: PAGE }), id: 7 };
  const written = jsonText(frame);
  t.true(written.includes(PAGE));
  t.deepEqual(JSON.parse(written), JSON.parse(JSON.stringify(frame)));
});

test('a field that is read is parsed, and from then on its value is written, changes included', t => {
  const result = withJsonText({ results: [] as { id: string }[], next_cursor: null as string | null }, { results: PAGE });
  const results = result.results;
  t.deepEqual(results.map(r => r.id), ['a', 'b']);
  t.is(result.results, results, 'parsed once');
  t.false(holdsJsonText(result));
  results.pop();
  t.deepEqual(JSON.parse(jsonText(result)).results.map((r: { id: string }) => r.id), ['a']);
});

test('a field that is assigned holds the new value', t => {
  const result = withJsonText({ results: [] as unknown[], next_cursor: null }, { results: PAGE });
  result.results = ['replaced'];
  t.is(jsonText(result), '{"results":["replaced"],"next_cursor":null}');
  t.deepEqual(Object.keys(result), ['results', 'next_cursor']);
});

test('a string that looks like a marker is written as a string', t => {
  const sneaky = { results: withJsonText({ list: [] as unknown[] }, { list: '[1]' }), note: '\u0000json-text-0' };
  t.deepEqual(JSON.parse(jsonText(sneaky)), { results: { list: [1] }, note: '\u0000json-text-0' });
});

test('values without such fields are written as JSON.stringify writes them', t => {
  const value = { a: [1, { b: 'x' }], c: null, d: new Date(0) };
  t.is(jsonText(value), JSON.stringify(value));
  t.false(holdsJsonText(value));
});
