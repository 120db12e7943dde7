import test from 'ava';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { parseMigration } from '../src/migrations/parse.js';
import { quickParseMigration } from '../src/migrations/quick-parse.js';
import { ROOT } from './helpers/project.js';
import { GENERATED_MIGRATION } from './helpers/generated-migration.js';

const FILE = '/p/migrations/Migration20260101000000.ts';

/** The quick reader either reads a file exactly as the compiler does, or leaves it to the compiler. */
function agrees(text: string, file = FILE): 'quick' | 'compiler' {
  const quick = quickParseMigration(file, text);
  if (quick === undefined) return 'compiler';
  const full = parseMigration(ts, file, text);
  if (JSON.stringify(quick) !== JSON.stringify(full)) {
    throw new Error(`the quick reader and the compiler disagree on:\n${text}\nquick: ${JSON.stringify(quick)}\ncompiler: ${JSON.stringify(full)}`);
  }
  return 'quick';
}

const GENERATED = GENERATED_MIGRATION;

function migrationFiles(dir: string): string[] {
  return readdirSync(dir).flatMap(name => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : migrationFiles(path);
    return /\/migrations\/[^/]+\.[cm]?[jt]s$/.test(path) && !path.endsWith('.d.ts') ? [path] : [];
  });
}

test('a generated migration is read without the compiler, exactly as the compiler reads it', t => {
  t.is(agrees(GENERATED), 'quick');
  t.like(quickParseMigration(FILE, GENERATED), { app: 'myapp', className: 'Migration20260101000000', appAt: { line: 5 } });
});

test("every fixture project's migration is read as the compiler reads it, and the generated ones without it", t => {
  const files = migrationFiles(join(ROOT, 'fixtures'));
  t.true(files.length >= 15);
  const quick = files.filter(file => agrees(readFileSync(file, 'utf8'), file) === 'quick');
  // Only the broken one (a syntax error) and the one whose SQL is built at run time need the compiler.
  t.deepEqual(
    files.filter(file => !quick.includes(file)).map(file => file.slice(ROOT.length + 1)).sort(),
    ['fixtures/broken-syntax/migrations/Migration20261125101632.ts', 'fixtures/chained-dynamic/appb/migrations/Migration20261201085000.ts'],
  );
});

test('the shapes a hand or another tool writes are read quickly when they are unambiguous', t => {
  const cases: [string, string][] = [
    ['no semicolons', GENERATED.replace(/;\n/g, '\n')],
    ['Windows line endings', GENERATED.replace(/\n/g, '\r\n')],
    ['a byte order mark', `\ufeff${GENERATED}`],
    ['block comments between the parts', GENERATED.replace('static readonly app', '/* the app\n */ static readonly app').replace("swappable('User')", "/* x */ swappable( /* y */ 'User' )")],
    ['every import form', `import M, { type A, B as C, type D as E } from 'a';\nimport * as all from 'b';\nimport type { F } from 'c';\nimport 'd';\n${GENERATED}`],
    ['parenthesised and asserted items', GENERATED.replace("['realtime_chat_messaging', '0002_initial'],", "(['realtime_chat_messaging', '0002_initial'] as const),")],
    ['satisfies with a type', GENERATED.replace('] as const;', '] satisfies readonly Dependency<string>[] | Other.Deps;')],
    ['compiled JavaScript with static fields', `export class M extends Migration {\n  static app = 'myapp';\n  static dependencies = [['myapp', '0001']];\n  async up() { this.addSql('create table "t" ("id" int)'); }\n}\n`],
    ['a swap migration', GENERATED.replace("static readonly app = 'myapp';", "static readonly app = 'myapp';\n  static readonly swaps = ['Message'] as const;")],
    ['qualified swappable calls and trailing commas', GENERATED.replace("swappable('User'),", "chat.swappable('User',),")],
    ['a qualified base class and an empty down()', GENERATED.replace('extends Migration', 'extends migrations.Migration').replace(/override async down\(\)[^}]*}/, 'async down() {}')],
  ];
  for (const [what, text] of cases) t.is(agrees(text), 'quick', what);
});

test('what only the compiler can read is left to it', t => {
  const cases: [string, string][] = [
    ['SQL built at run time', GENERATED.replace("this.addSql('alter", "this.addSql(prefix + 'alter")],
    ['an escape in a string', GENERATED.replace("'myapp'", "'my\\x61pp'")],
    ['a template with a substitution', GENERATED.replace('cascade;`', '${"cascade"};`')],
    ['a static block', `class M {\n  static { this.app = 'myapp'; }\n  async up() {}\n}\n`],
    ['assignments after the class', `class M { async up() {} }\nM.app = 'myapp';\n`],
    ['two classes', `${GENERATED}\nclass Other {}\n`],
    ['a decorator', GENERATED.replace('export class', '@tag\nexport class')],
    ['a syntax error', GENERATED.replace('] as const;', 'as const;')],
    ['two statements on one line', GENERATED.replace(");\n    this.addSql('alter", ") this.addSql('alter")],
    ['modifiers out of order', GENERATED.replace('static readonly app', 'readonly static app')],
    ['a dependency in another shape', GENERATED.replace("swappable('User')", "['myapp']")],
    ['an unknown token', GENERATED.replace("swappable('User')", "swappable('Usr')")],
    ['no up()', GENERATED.replace(/override async up\(\)[^}]*}/, '')],
    ['a computed app', GENERATED.replace("'myapp'", 'APP')],
    // Found by review: each is a syntax error (or another reading) to the compiler.
    ['in on the line after a static', "class M { static app = 'a'\nin() {} up() {} }"],
    ['instanceof on the line after a static', "class M { static app = 'a' as const\ninstanceof() {} up() {} }"],
    ['a type operator as a type', "class M { static app: keyof = 'a'; up() {} }"],
    ['infer outside a conditional type', "class M { static app = 'a' as infer; up() {} }"],
    ['unique before a type literal (up() has no body then)', "class M { static app = 'a'; up(): unique {} }"],
    ['type arguments after a keyword type', "class M { static app: string<X> = 'a'; up() {} }"],
    ['a qualified name after void', "class M { static app = 'a' as void.X; up() {} }"],
    ['type arguments after null', "class M { static app = 'a'; up(): null<X> {} }"],
    ['readonly before a type that is not an array', "class M { static app = 'a' as readonly X; up() {} }"],
    ['a template as a module name', "import `x`\nclass M { static app = 'a'; up() {} }"],
  ];
  for (const [what, text] of cases) t.is(agrees(text), 'compiler', what);
});

test('whatever character is removed from a generated migration, the quick reader never disagrees with the compiler', t => {
  let quick = 0;
  for (let i = 0; i < GENERATED.length; i++) {
    if (agrees(GENERATED.slice(0, i) + GENERATED.slice(i + 1)) === 'quick') quick++;
  }
  // Spaces and characters inside the SQL can go; the reader must still have read those variants.
  t.true(quick > GENERATED.length / 2, `${quick} of ${GENERATED.length}`);
});

test('whatever punctuation is inserted into a generated migration, the quick reader never disagrees with the compiler', t => {
  let quick = 0;
  let variants = 0;
  for (let i = 0; i < GENERATED.length; i++) {
    for (const inserted of [';', '\n', ',', '(', ')', '[', ']', '.', "'", ' as const', ' x']) {
      variants++;
      if (agrees(GENERATED.slice(0, i) + inserted + GENERATED.slice(i)) === 'quick') quick++;
    }
  }
  t.true(quick > variants / 10, `${quick} of ${variants}`);
});
