import test from 'ava';
import ts from 'typescript';
import { isParseFailure, parseMigration } from '../src/migrations/parse.js';
import type { MigrationDeclaration, ParseFailure } from '../src/migrations/types.js';
import { GENERATED_MIGRATION } from './helpers/generated-migration.js';

const parse = (text: string, file = '/p/migrations/Migration20260101000000.ts') => parseMigration(ts, file, text);
const ok = (text: string, file?: string) => {
  const result = parse(text, file);
  if (isParseFailure(result)) throw new Error(result.message);
  return result as MigrationDeclaration;
};
const failure = (text: string) => parse(text) as ParseFailure;

const GENERATED = GENERATED_MIGRATION;

test('a generated migration declares its app, its dependencies with their places, and what its SQL needs', t => {
  const d = ok(GENERATED);
  t.is(d.app, 'myapp');
  t.is(d.name, 'Migration20260101000000');
  t.is(d.className, 'Migration20260101000000');
  t.is(d.appAt.line, 5);
  t.is(d.dependencies.length, 2);
  const [pkg, user] = d.dependencies;
  t.like(pkg, { kind: 'migration', app: 'realtime_chat_messaging', name: '0002_initial', at: { line: 7 } });
  t.is(GENERATED.slice((pkg as { nameSpan: { start: number; end: number } }).nameSpan.start, (pkg as { nameSpan: { end: number } }).nameSpan.end), '0002_initial');
  t.like(user, { kind: 'swappable', token: 'User', at: { line: 8 } });
  t.deepEqual(d.sql, {
    createsTables: ['custom_message'],
    createsNames: ['custom_message_room_id_foreign'],
    needsTables: ['chat_room'],
    needsNames: [],
  });
});

test('compiled JavaScript (static blocks, or assignments after the class) is read the same way', t => {
  const block = ok(
    `export class M extends Migration {\n  static { this.app = 'myapp'; }\n  static { this.dependencies = [['myapp', '0001']]; }\n  async up() { this.addSql('select 1'); }\n}\n`,
    '/p/m/0002.js',
  );
  t.like(block, { app: 'myapp', name: '0002' });
  t.like(block.dependencies[0], { kind: 'migration', app: 'myapp', name: '0001' });
  const assigned = ok(`class M {}\nM.app = 'other';\nM.dependencies = [swappable('Message')];\n`, '/p/m/0003.js');
  t.like(assigned, { app: 'other' });
  t.like(assigned.dependencies[0], { kind: 'swappable', token: 'Message' });
});

test('SQL built at run time marks the migration as not statically known', t => {
  const d = ok(`class M { static app = 'a'; async up() { const t = 'x'; this.addSql(\`drop table \${t}\`); } }`);
  t.is(d.sql.dynamicAt?.line, 1);
  const executes = ok(`class M { static app = 'a'; async up() { await this.execute('select 1'); } }`);
  t.truthy(executes.sql.dynamicAt);
});

test('a syntax error is reported with its line and column', t => {
  const f = failure(`class M {\n  static app = 'a'\n  static dependencies = [['a', '1'];\n}\n`);
  t.is(f.line, 3);
  t.is(f.column, 36);
  t.regex(f.message, /^syntax error: /);
});

test('dependencies in another shape are refused, saying what shape is expected', t => {
  t.regex(failure(`class M { static app = 'a'; static dependencies = deps; }`).message, /must be a literal list/);
  t.regex(failure(`class M { static app = 'a'; static dependencies = [['a']]; }`).message, /each dependency must be \['app', 'name'\] or swappable\('Token'\)/);
  t.regex(failure(`class M { static app = 'a'; static dependencies = [swappable('Mesage')]; }`).message, /swappable\('Mesage'\): unknown model token/);
  t.regex(failure(`class M { static app = name; }`).message, /static app must be a string literal/);
  t.regex(failure(`export const x = 1;`).message, /no migration class with a static app/);
});
