/**
 * Reads the common shape of a migration file (what MikroORM's generator writes and `fix` edits:
 * imports, one class with literal `app` / `dependencies` / `swaps` statics, and `up()` / `down()`
 * made of `this.addSql('literal')` calls) without loading the TypeScript compiler. Anything outside
 * that strict grammar returns `undefined`, and the caller asks the compiler's parser (`parse.ts`),
 * so both always agree: a file is either read here exactly as the compiler would read it, or not
 * at all (test/migration-quick-parse.test.ts holds them side by side).
 */
import { isSwapToken, type SwapToken } from '../swappable/tokens.js';
import { migrationNameOf } from './parse.js';
import { sqlFactsOf } from './sql-facts.js';
import type { DependencyRef, MigrationDeclaration, SourceLocation } from './types.js';

type TokenKind = 'name' | 'text' | 'punct';

interface Token {
  readonly kind: TokenKind;
  /** The name, the punctuation character, or a string's value. */
  readonly value: string;
  readonly start: number;
  /** Its line, counted as the compiler counts them. */
  readonly line: number;
  /** Whether a line break comes between this token and the one before it. */
  readonly newLineBefore: boolean;
  /** A text written as a template (\`…\`), where the compiler takes no module name. */
  readonly template: boolean;
}

/** Thrown inside this module only: the file is not in the shape read here. */
class NotQuick extends Error {}

const notQuick = (): never => {
  throw new NotQuick();
};

const PUNCTUATION = new Set('{}()[];,.:<>=|&?!*');

/** Words that cannot name a binding or start an expression in a module (strict mode). */
const RESERVED = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally for function if import in ' +
    'instanceof new null return super switch this throw true try typeof var void while with implements interface let package private ' +
    'protected public static yield await'
  ).split(' '),
);
const enum Char {
  Tab = 9,
  LineFeed = 10,
  VerticalTab = 11,
  FormFeed = 12,
  CarriageReturn = 13,
  Space = 32,
  Quote = 34,
  Dollar = 36,
  Apostrophe = 39,
  Asterisk = 42,
  Slash = 47,
  Underscore = 95,
  Backtick = 96,
  NoBreakSpace = 0xa0,
  LineSeparator = 0x2028,
  ParagraphSeparator = 0x2029,
  ByteOrderMark = 0xfeff,
}

const isLetter = (code: number) => (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === Char.Underscore || code === Char.Dollar;
const isNamePart = (code: number) => isLetter(code) || (code >= 48 && code <= 57);
const isLineBreak = (code: number) => code === Char.LineFeed || code === Char.CarriageReturn || code === Char.LineSeparator || code === Char.ParagraphSeparator;

/** The line breaks in `text` between `from` and `to`, counted as the compiler counts lines (CR LF is one). */
function lineBreaks(text: string, from: number, to: number): number {
  let count = 0;
  for (let i = from; i < to; i++) {
    const code = text.charCodeAt(i);
    if (code === Char.CarriageReturn && text.charCodeAt(i + 1) === Char.LineFeed) continue;
    if (isLineBreak(code)) count++;
  }
  return count;
}

/** Splits the text into tokens; comments and whitespace are dropped, anything unusual stops the quick read. */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let newLine = false;
  let line = 1;
  const push = (kind: TokenKind, value: string, start: number, template = false) => {
    // Every token of one shape (no optional field): the reader's accesses stay monomorphic.
    tokens.push({ kind, value, start, line, newLineBefore: newLine, template });
    newLine = false;
  };
  let i = text.charCodeAt(0) === Char.ByteOrderMark ? 1 : 0;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (isLineBreak(code)) {
      newLine = true;
      line++;
      i += code === Char.CarriageReturn && text.charCodeAt(i + 1) === Char.LineFeed ? 2 : 1;
    } else if (code === Char.Space || code === Char.Tab || code === Char.VerticalTab || code === Char.FormFeed || code === Char.NoBreakSpace) {
      i++;
    } else if (code === Char.Slash && text.charCodeAt(i + 1) === Char.Slash) {
      while (i < text.length && !isLineBreak(text.charCodeAt(i))) i++;
    } else if (code === Char.Slash && text.charCodeAt(i + 1) === Char.Asterisk) {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) notQuick();
      const breaks = lineBreaks(text, i, end);
      if (breaks > 0) newLine = true;
      line += breaks;
      i = end + 2;
    } else if (code === Char.Apostrophe || code === Char.Quote || code === Char.Backtick) {
      const end = text.indexOf(text[i]!, i + 1);
      if (end < 0) notQuick();
      const value = text.slice(i + 1, end);
      // Escapes, substitutions and (outside templates) line breaks are left to the compiler.
      if (value.includes('\\') || value.includes('\r')) notQuick();
      const breaks = lineBreaks(text, i + 1, end);
      if (code === Char.Backtick ? value.includes('${') : breaks > 0) notQuick();
      push('text', value, i, code === Char.Backtick);
      line += breaks;
      i = end + 1;
    } else if (isLetter(code)) {
      const start = i;
      while (i < text.length && isNamePart(text.charCodeAt(i))) i++;
      push('name', text.slice(start, i), start);
    } else if (PUNCTUATION.has(text[i]!)) {
      push('punct', text[i]!, i);
      i++;
    } else {
      notQuick();
    }
  }
  return tokens;
}

/** A cursor over the tokens with the few productions a migration file needs. */
class Reader {
  private at = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  get done(): boolean {
    return this.at >= this.tokens.length;
  }

  peek(offset = 0): Token | undefined {
    return this.tokens[this.at + offset];
  }

  next(): Token {
    return this.tokens[this.at++] ?? notQuick();
  }

  /** Whether the next token is this punctuation or name. */
  is(value: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token !== undefined && token.kind !== 'text' && token.value === value;
  }

  accept(value: string): boolean {
    if (!this.is(value)) return false;
    this.at++;
    return true;
  }

  /** `accept`, only on the line of the token before (where a line break would end the construct). */
  acceptOnLine(value: string): boolean {
    return this.is(value) && !this.peek()!.newLineBefore && this.accept(value);
  }

  expect(value: string): Token {
    if (!this.is(value)) notQuick();
    return this.next();
  }

  /** The next token, which must be of this kind (and not one `refused`). */
  private take(kind: TokenKind, refused: (token: Token) => boolean = () => false): Token {
    const token = this.next();
    if (token.kind !== kind || refused(token)) notQuick();
    return token;
  }

  name(): Token {
    return this.take('name');
  }

  /** A name that may be bound or referred to (not a reserved word). */
  identifier(): Token {
    return this.take('name', token => RESERVED.has(token.value));
  }

  text(): Token {
    return this.take('text');
  }

  /** A module name: a quoted string (a template is no module name to the compiler). */
  moduleName(): Token {
    return this.take('text', token => token.template === true);
  }

  /**
   * The end of a statement or member: `;`, `}`, the end of the file, or a line break before a
   * name that cannot go on with the expression (automatic semicolon insertion; `in` and
   * `instanceof` on the next line continue it, and so would any punctuation).
   */
  endStatement(): void {
    if (this.accept(';')) return;
    const token = this.peek();
    if (!token || (token.kind === 'punct' && token.value === '}')) return;
    if (!token.newLineBefore || token.kind !== 'name' || token.value === 'in' || token.value === 'instanceof') notQuick();
  }
}

/** `import …;` in any of its static forms. */
function readImport(reader: Reader): void {
  reader.expect('import');
  if (reader.peek()?.kind === 'text') {
    reader.moduleName();
    reader.endStatement();
    return;
  }
  if (reader.is('type') && !reader.is('from', 1) && !reader.is(',', 1)) reader.next();
  if (reader.peek()?.kind === 'name' && !reader.is('from')) {
    reader.identifier();
    if (!reader.accept(',')) return finishImport(reader);
  }
  if (reader.accept('*')) {
    reader.expect('as');
    reader.identifier();
  } else {
    reader.expect('{');
    while (!reader.accept('}')) {
      if (reader.is('type') && reader.peek(1)?.kind === 'name' && !reader.is('as', 1)) reader.next();
      // `{ default as x }` imports a reserved name; only the local one must be a binding.
      const imported = reader.name();
      if (reader.accept('as')) reader.identifier();
      else if (RESERVED.has(imported.value)) notQuick();
      if (!reader.is('}')) reader.expect(',');
    }
  }
  finishImport(reader);
}

function finishImport(reader: Reader): void {
  reader.expect('from');
  reader.moduleName();
  reader.endStatement();
}

/** Types the compiler reads as keywords: no qualified name or type arguments after them. */
const KEYWORD_TYPES = new Set(['any', 'unknown', 'never', 'void', 'null', 'undefined', 'string', 'number', 'boolean', 'object', 'symbol', 'bigint']);

/** Words that start a type the compiler reads otherwise than a name (operators, predicates, queries). */
const TYPE_OPERATORS = new Set(['keyof', 'unique', 'infer', 'typeof', 'asserts', 'is', 'abstract', 'new', 'readonly']);

/** A type after `:`, `as` or `satisfies`: names, qualified names, type arguments, arrays, unions, string literals. */
function skipType(reader: Reader): void {
  do {
    // `readonly` only before an array type (the compiler reads it as an operator).
    const readonly = reader.accept('readonly');
    let arrays = 0;
    if (reader.peek()?.kind === 'text') reader.next();
    else {
      const name = reader.name().value;
      if (TYPE_OPERATORS.has(name) || (RESERVED.has(name) && !KEYWORD_TYPES.has(name))) notQuick();
      if (!KEYWORD_TYPES.has(name)) {
        while (reader.acceptOnLine('.')) reader.name();
        if (reader.acceptOnLine('<')) {
          do skipType(reader);
          while (reader.accept(','));
          reader.expect('>');
        }
      }
    }
    while (reader.acceptOnLine('[')) {
      reader.expect(']');
      arrays++;
    }
    if (readonly && arrays === 0) notQuick();
  } while (reader.accept('|'));
}

/** An expression as the compiler's reader sees it once `as`, `satisfies` and parentheses are unwrapped. */
type Expression =
  | { readonly kind: 'text'; readonly token: Token }
  | { readonly kind: 'array'; readonly start: Token; readonly elements: readonly Expression[] }
  | { readonly kind: 'call'; readonly start: Token; readonly callee: string; readonly args: readonly Expression[] };

/** The expressions statics hold: text, arrays of them, and calls such as `swappable('User')`. */
function readExpression(reader: Reader): Expression {
  let expression: Expression;
  if (reader.accept('(')) {
    expression = readExpression(reader);
    reader.expect(')');
  } else if (reader.peek()?.kind === 'text') {
    expression = { kind: 'text', token: reader.next() };
  } else if (reader.is('[')) {
    const start = reader.next();
    const elements: Expression[] = [];
    while (!reader.accept(']')) {
      elements.push(readExpression(reader));
      if (!reader.is(']')) reader.expect(',');
    }
    expression = { kind: 'array', start, elements };
  } else {
    const start = reader.identifier();
    let callee = start.value;
    while (reader.accept('.')) callee = reader.name().value;
    reader.expect('(');
    const args: Expression[] = [];
    while (!reader.accept(')')) {
      args.push(readExpression(reader));
      if (!reader.is(')')) reader.expect(',');
    }
    expression = { kind: 'call', start, callee, args };
  }
  // `x as const` / `x satisfies T` (on the same line: a new line would start the next member).
  while ((reader.is('as') || reader.is('satisfies')) && !reader.peek()!.newLineBefore) {
    reader.next();
    if (!reader.accept('const')) skipType(reader);
  }
  return expression;
}

const MEMBER_MODIFIERS = ['public', 'protected', 'private', 'static', 'override', 'readonly', 'async'] as const;

/** What one class declares: its static initializers and the statements of `up()`. */
interface ClassShape {
  readonly name: string;
  readonly statics: Map<string, Expression>;
  up?: string[];
}

/** The modifiers before a member, in the order TypeScript writes them. */
function readModifiers(reader: Reader): Set<string> {
  const modifiers = new Set<string>();
  let rank = 0;
  for (;;) {
    const token = reader.peek();
    const next = reader.peek(1);
    const index = token?.kind === 'name' ? MEMBER_MODIFIERS.indexOf(token.value as (typeof MEMBER_MODIFIERS)[number]) : -1;
    // A modifier is followed by the member's name (or another modifier) on the same line.
    if (index < 0 || next?.kind !== 'name' || next.newLineBefore) return modifiers;
    if (index < rank) notQuick();
    rank = index + 1;
    modifiers.add(reader.next().value);
  }
}

/** `{ this.addSql('…'); … }`: the literal statements, or not quick. */
function readSqlBody(reader: Reader): string[] {
  const statements: string[] = [];
  reader.expect('{');
  while (!reader.accept('}')) {
    if (reader.accept(';')) continue;
    reader.expect('this');
    reader.expect('.');
    reader.expect('addSql');
    reader.expect('(');
    statements.push(reader.text().value);
    reader.expect(')');
    reader.endStatement();
  }
  return statements;
}

function readClass(reader: Reader): ClassShape {
  reader.expect('class');
  const name = reader.identifier().value;
  if (reader.accept('extends')) {
    reader.identifier();
    while (reader.accept('.')) reader.name();
  }
  reader.expect('{');
  const shape: ClassShape = { name, statics: new Map() };
  while (!reader.accept('}')) {
    if (reader.accept(';')) continue;
    const modifiers = readModifiers(reader);
    const member = reader.name().value;
    if (reader.accept('(')) {
      // A method: up() and down() take nothing and hold only literal SQL.
      if (modifiers.has('static') || modifiers.has('readonly')) notQuick();
      reader.expect(')');
      if (reader.accept(':')) skipType(reader);
      const statements = readSqlBody(reader);
      if (member === 'up') shape.up ??= statements;
    } else {
      if (!modifiers.has('static') || modifiers.has('async')) notQuick();
      if (reader.accept(':')) skipType(reader);
      reader.expect('=');
      shape.statics.set(member, readExpression(reader));
      reader.endStatement();
    }
  }
  return shape;
}

/** The file's one class, after its imports; anything else at the top level is not quick. */
function readFile(reader: Reader): ClassShape {
  let shape: ClassShape | undefined;
  while (!reader.done) {
    if (reader.is('import')) readImport(reader);
    else if (shape === undefined && (reader.is('class') || (reader.is('export') && reader.is('class', 1)))) {
      reader.accept('export');
      shape = readClass(reader);
    } else notQuick();
  }
  return shape ?? notQuick();
}

function startOf(expression: Expression): Token {
  return expression.kind === 'text' ? expression.token : expression.start;
}

function readDependency(expression: Expression, at: (token: Token) => SourceLocation): DependencyRef {
  if (expression.kind === 'array' && expression.elements.length === 2) {
    const [app, name] = expression.elements;
    if (app!.kind === 'text' && name!.kind === 'text') {
      const start = name.token.start + 1;
      return { kind: 'migration', app: app.token.value, name: name.token.value, at: at(expression.start), nameSpan: { start, end: start + name.token.value.length } };
    }
  }
  if (expression.kind === 'call' && expression.callee === 'swappable' && expression.args.length === 1) {
    const [token] = expression.args;
    if (token!.kind === 'text' && isSwapToken(token.token.value)) return { kind: 'swappable', token: token.token.value, at: at(expression.start) };
  }
  // The compiler's reader explains what is wrong with it.
  return notQuick();
}

/** The declaration of a migration file in the common shape, or `undefined` when only the compiler can read it. */
export function quickParseMigration(file: string, text: string): MigrationDeclaration | undefined {
  let shape: ClassShape;
  try {
    shape = readFile(new Reader(tokenize(text)));
  } catch (error) {
    if (error instanceof NotQuick) return undefined;
    throw error;
  }
  const app = shape.statics.get('app');
  if (app?.kind !== 'text' || shape.up === undefined) return undefined;
  const at = (token: Token): SourceLocation => ({ file, line: token.line });
  let dependencies: DependencyRef[] = [];
  let swaps: SwapToken[] | undefined;
  try {
    const declared = shape.statics.get('dependencies');
    if (declared) dependencies = declared.kind === 'array' ? declared.elements.map(element => readDependency(element, at)) : notQuick();
    const swapped = shape.statics.get('swaps');
    if (swapped) {
      swaps = swapped.kind === 'array' ? swapped.elements.map(element => (element.kind === 'text' && isSwapToken(element.token.value) ? element.token.value : notQuick())) : notQuick();
    }
  } catch (error) {
    if (error instanceof NotQuick) return undefined;
    throw error;
  }
  return {
    app: app.token.value,
    name: migrationNameOf(file),
    file,
    className: shape.name,
    appAt: at(startOf(app)),
    dependencies,
    sql: sqlFactsOf(shape.up),
    ...(swaps ? { swaps } : {}),
  };
}
