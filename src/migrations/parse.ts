/**
 * Reads a migration file without executing it, with the TypeScript compiler's parser: the static
 * `app` and `dependencies` of its class, and the literal SQL of its `up()`.
 */
import type TS from 'typescript';
import { isSwapToken, type SwapToken } from '../swappable/tokens.js';
import { sqlFactsOf } from './sql-facts.js';
import type { DependencyRef, MigrationDeclaration, ParseFailure, SourceLocation } from './types.js';

type TypeScript = typeof TS;

/** The migration name of a file: its base name without extension. */
export function migrationNameOf(file: string): string {
  const base = file.slice(file.lastIndexOf('/') + 1);
  return base.replace(/\.(d\.)?[cm]?[jt]s$/, '');
}

class Failure extends Error {
  constructor(readonly node: TS.Node | undefined, message: string) {
    super(message);
  }
}

/** Parses one migration file's text into its declaration, or says where and why it cannot. */
export function parseMigration(ts: TypeScript, file: string, text: string): MigrationDeclaration | ParseFailure {
  const kind = /\.[cm]?js$/.test(file) ? ts.ScriptKind.JS : ts.ScriptKind.TS;
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, kind);
  const at = (node: TS.Node | undefined): SourceLocation => ({
    file,
    line: node ? sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1 : 1,
  });
  const syntax = (sf as unknown as { parseDiagnostics?: TS.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
  if (syntax.length > 0) {
    const first = syntax[0]!;
    const pos = sf.getLineAndCharacterOfPosition(first.start);
    return { file, line: pos.line + 1, column: pos.character + 1, message: `syntax error: ${ts.flattenDiagnosticMessageText(first.messageText, '\n')}` };
  }
  try {
    return readDeclaration(ts, sf, file, at);
  } catch (error) {
    if (!(error instanceof Failure)) throw error;
    const pos = error.node ? sf.getLineAndCharacterOfPosition(error.node.getStart(sf)) : { line: 0, character: 0 };
    return { file, line: pos.line + 1, column: pos.character + 1, message: error.message };
  }
}

/** Whether a parse result is a failure. */
export function isParseFailure(result: MigrationDeclaration | ParseFailure): result is ParseFailure {
  return 'message' in result;
}

function readDeclaration(ts: TypeScript, sf: TS.SourceFile, file: string, at: (n?: TS.Node) => SourceLocation): MigrationDeclaration {
  const statics = collectStatics(ts, sf);
  const classes = [...statics.keys()].filter(cls => statics.get(cls)!.has('app'));
  if (classes.length === 0) {
    throw new Failure(undefined, "no migration class with a static app (expected: static readonly app = 'myapp';)");
  }
  if (classes.length > 1) throw new Failure(classes[1], 'more than one migration class in one file');
  const cls = classes[0]!;
  const members = statics.get(cls)!;
  const appNode = unwrap(ts, members.get('app')!);
  if (!ts.isStringLiteral(appNode) && !ts.isNoSubstitutionTemplateLiteral(appNode)) {
    throw new Failure(appNode, "static app must be a string literal, e.g. static readonly app = 'myapp';");
  }
  const depsNode = members.get('dependencies');
  const dependencies = depsNode ? readDependencies(ts, sf, unwrap(ts, depsNode), at) : [];
  const name = migrationNameOf(file);
  const swapsNode = members.get('swaps');
  const swaps = swapsNode ? readSwaps(ts, unwrap(ts, swapsNode)) : undefined;
  return {
    app: appNode.text,
    name,
    file,
    className: cls.name?.text ?? name,
    appAt: at(appNode),
    dependencies,
    sql: readUpSql(ts, cls, at),
    ...(swaps ? { swaps } : {}),
  };
}

/** `static swaps = ['Message']`: the tokens a swap migration moves. */
function readSwaps(ts: TypeScript, node: TS.Expression): SwapToken[] {
  if (!ts.isArrayLiteralExpression(node)) throw new Failure(node, "static swaps must be a literal list of model tokens, e.g. ['Message']");
  return node.elements.map(element => {
    const item = unwrap(ts, element);
    if (!isText(ts, item) || !isSwapToken(item.text)) throw new Failure(item, `static swaps: ${item.getText()} is not a model token`);
    return item.text;
  });
}

/** Static members of each class: `static x = …`, `static { this.x = … }`, and `Class.x = …` after it. */
function collectStatics(ts: TypeScript, sf: TS.SourceFile): Map<TS.ClassDeclaration, Map<string, TS.Expression>> {
  const out = new Map<TS.ClassDeclaration, Map<string, TS.Expression>>();
  const byName = new Map<string, TS.ClassDeclaration>();
  for (const statement of sf.statements) {
    if (!ts.isClassDeclaration(statement)) continue;
    const members = new Map<string, TS.Expression>();
    out.set(statement, members);
    if (statement.name) byName.set(statement.name.text, statement);
    for (const member of statement.members) {
      if (ts.isPropertyDeclaration(member) && member.initializer && isStatic(ts, member) && ts.isIdentifier(member.name)) {
        members.set(member.name.text, member.initializer);
      } else if (ts.isClassStaticBlockDeclaration(member)) {
        for (const inner of member.body.statements) {
          const assigned = assignment(ts, inner, target => target.kind === ts.SyntaxKind.ThisKeyword);
          if (assigned) members.set(assigned[0], assigned[1]);
        }
      }
    }
  }
  for (const statement of sf.statements) {
    const assigned = assignment(ts, statement, target => ts.isIdentifier(target) && byName.has(target.text));
    if (!assigned) continue;
    const target = ((statement as TS.ExpressionStatement).expression as TS.BinaryExpression).left as TS.PropertyAccessExpression;
    out.get(byName.get((target.expression as TS.Identifier).text)!)!.set(assigned[0], assigned[1]);
  }
  return out;
}

function isStatic(ts: TypeScript, member: TS.PropertyDeclaration): boolean {
  return (ts.getCombinedModifierFlags(member) & ts.ModifierFlags.Static) !== 0;
}

function assignment(ts: TypeScript, statement: TS.Statement, targetOk: (e: TS.Expression) => boolean): [string, TS.Expression] | undefined {
  if (!ts.isExpressionStatement(statement) || !ts.isBinaryExpression(statement.expression)) return undefined;
  const { left, operatorToken, right } = statement.expression;
  if (operatorToken.kind !== ts.SyntaxKind.EqualsToken || !ts.isPropertyAccessExpression(left) || !targetOk(left.expression)) return undefined;
  return [left.name.text, right];
}

function unwrap(ts: TypeScript, node: TS.Expression): TS.Expression {
  let current = node;
  while (ts.isAsExpression(current) || ts.isSatisfiesExpression(current) || ts.isParenthesizedExpression(current) || ts.isTypeAssertionExpression(current)) {
    current = current.expression;
  }
  return current;
}

function readDependencies(ts: TypeScript, sf: TS.SourceFile, node: TS.Expression, at: (n?: TS.Node) => SourceLocation): DependencyRef[] {
  if (!ts.isArrayLiteralExpression(node)) {
    throw new Failure(node, "static dependencies must be a literal list of ['app', 'name'] pairs and swappable('Token') calls");
  }
  return node.elements.map(element => {
    const item = unwrap(ts, element);
    if (ts.isArrayLiteralExpression(item) && item.elements.length === 2) {
      const [app, name] = item.elements.map(e => unwrap(ts, e));
      if (app && name && isText(ts, app) && isText(ts, name)) {
        const start = name.getStart(sf) + 1;
        return { kind: 'migration', app: app.text, name: name.text, at: at(item), nameSpan: { start, end: start + name.text.length } };
      }
    }
    if (ts.isCallExpression(item) && calleeName(ts, item.expression) === 'swappable' && item.arguments.length === 1) {
      const arg = unwrap(ts, item.arguments[0]!);
      if (!isText(ts, arg)) throw new Failure(arg, "swappable() takes the model token as a string literal, e.g. swappable('Message')");
      if (!isSwapToken(arg.text)) throw new Failure(arg, `swappable('${arg.text}'): unknown model token`);
      return { kind: 'swappable', token: arg.text, at: at(item) };
    }
    throw new Failure(item, "each dependency must be ['app', 'name'] or swappable('Token')");
  });
}

function isText(ts: TypeScript, node: TS.Node): node is TS.StringLiteral | TS.NoSubstitutionTemplateLiteral {
  return ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node);
}

function calleeName(ts: TypeScript, callee: TS.Expression): string | undefined {
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  return undefined;
}

const DYNAMIC_MEMBERS = new Set(['execute', 'getKnex', 'getEntityManager', 'driver', 'ctx']);

/** The literal statements of `up()`; any SQL it builds at run time marks the facts as dynamic. */
function readUpSql(ts: TypeScript, cls: TS.ClassDeclaration, at: (n?: TS.Node) => SourceLocation) {
  const up = cls.members.find(m => ts.isMethodDeclaration(m) && ts.isIdentifier(m.name) && m.name.text === 'up') as TS.MethodDeclaration | undefined;
  if (!up?.body) return { ...sqlFactsOf([]), dynamicAt: at(cls) };
  const statements: string[] = [];
  let dynamicAt: SourceLocation | undefined;
  const isThisMember = (node: TS.Node, names?: Set<string>): node is TS.PropertyAccessExpression =>
    ts.isPropertyAccessExpression(node) && node.expression.kind === ts.SyntaxKind.ThisKeyword && (!names || names.has(node.name.text));
  const visit = (node: TS.Node): void => {
    if (ts.isCallExpression(node) && isThisMember(node.expression) && node.expression.name.text === 'addSql') {
      const arg = node.arguments[0] && unwrap(ts, node.arguments[0]);
      if (arg && isText(ts, arg)) statements.push(arg.text);
      else dynamicAt ??= at(node);
      for (const argument of node.arguments) visit(argument);
      return;
    }
    if (isThisMember(node, DYNAMIC_MEMBERS)) dynamicAt ??= at(node);
    ts.forEachChild(node, visit);
  };
  visit(up.body);
  return { ...sqlFactsOf(statements), ...(dynamicAt ? { dynamicAt } : {}) };
}
