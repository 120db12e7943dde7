/**
 * `ChatMigrationGenerator`: writes a migration as the package's tools read it, with static `app`
 * and `dependencies` declared the way Django's autodetector does: on the app's previous
 * migration, on the latest migration of each app whose tables it uses, and `swappable(Token)`
 * for each swappable model it points at.
 */
import { TSMigrationGenerator } from '@mikro-orm/migrations';
import { ChatError } from '../errors/chat-error.js';
import type { MigrationGraph } from './graph.js';
import type { SchemaOwnership } from './schema-ownership.js';
import { sqlFactsOf } from './sql-facts.js';

/** What the generator must know to declare a new migration's dependencies. */
export interface GenerationContext {
  readonly app: string;
  readonly graph: MigrationGraph;
  readonly ownership: SchemaOwnership;
  /** Table → the token whose configured model it stores. */
  readonly tokenTables: ReadonlyMap<string, string>;
  /** Constraint names other apps own: this migration's `down()` must not drop them. */
  readonly foreignConstraints: ReadonlySet<string>;
}

const DROP_CONSTRAINT = /^alter table "[^"]+" drop constraint "([^"]+)";$/;

/** A migration dependency as it will be written. */
type Written = { kind: 'migration'; app: string; name: string } | { kind: 'swappable'; token: string };

export class ChatMigrationGenerator extends TSMigrationGenerator {
  /** Set by the package's migrator before each generation. */
  context?: GenerationContext;

  override generateMigrationFile(className: string, diff: { up: string[]; down: string[] }): string {
    const context = this.context;
    if (!context) {
      throw new Error("ChatMigrationGenerator needs the package's migrator: build the MikroORM options with chatOrmConfig()");
    }
    const dependencies = dependenciesOf(context, diff.up.filter(Boolean));
    // Dropping this app's tables orphans other apps' keys to them; those apps' own migrations drop them.
    const down = withoutRepeatedBlanks(diff.down.filter(sql => !context.foreignConstraints.has(DROP_CONSTRAINT.exec(sql)?.[1] ?? '')));
    const usesSwappable = dependencies.some(d => d.kind === 'swappable');
    let out = `import { Migration } from '@mikro-orm/migrations';\n`;
    if (usesSwappable) out += `import { swappable } from 'realtime-chat-messaging';\n`;
    out += `\nexport class ${className} extends Migration {\n`;
    out += `  static readonly app = '${context.app}';\n`;
    out += `  static readonly dependencies = [\n`;
    for (const dep of dependencies) {
      out += dep.kind === 'migration' ? `    ['${dep.app}', '${dep.name}'],\n` : `    swappable('${dep.token}'),\n`;
    }
    out += `  ] as const;\n\n`;
    out += `  override async up(): Promise<void> {\n`;
    diff.up.forEach(sql => (out += this.createStatement(sql, 4)));
    out += `  }\n`;
    if (down.some(Boolean)) {
      out += `\n  override async down(): Promise<void> {\n`;
      down.forEach(sql => (out += this.createStatement(sql, 4)));
      out += `  }\n`;
    }
    out += `}\n`;
    return out;
  }
}

/** The dependencies a migration with these statements needs, own app first, then sorted. */
export function dependenciesOf(context: GenerationContext, statements: readonly string[]): Written[] {
  const { app, graph, ownership, tokenTables } = context;
  const leafOf = (label: string) => {
    const leaves = graph.leafNodes(label);
    if (leaves.length > 1) {
      throw new ChatError(
        'migration_graph_error',
        `app '${label}' has ${leaves.length} latest migrations (${leaves.map(l => l.name).join(', ')}): merge them before creating another (npx chat-migrate merge ${label})`,
      );
    }
    return leaves[0]?.name;
  };
  const migrations = new Map<string, Written & { kind: 'migration' }>();
  const swappables = new Set<string>();
  for (const table of sqlFactsOf(statements).needsTables) {
    const owner = ownership.tableOwner(table);
    if (owner === app) continue;
    const token = tokenTables.get(table);
    if (token) {
      swappables.add(token);
      continue;
    }
    const latest = leafOf(owner);
    if (latest) migrations.set(`${owner}.${latest}`, { kind: 'migration', app: owner, name: latest });
  }
  const own = leafOf(app);
  const sortedMigrations = [...migrations].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, dep]) => dep);
  return [
    ...(own ? [{ kind: 'migration' as const, app, name: own }] : []),
    ...sortedMigrations,
    ...[...swappables].sort().map(token => ({ kind: 'swappable' as const, token })),
  ];
}


/** Statements with at most one blank separator between groups, none at either end. */
function withoutRepeatedBlanks(statements: readonly string[]): string[] {
  const out = statements.filter((sql, i) => sql !== '' || (i > 0 && statements[i - 1] !== ''));
  while (out[0] === '') out.shift();
  while (out[out.length - 1] === '') out.pop();
  return out;
}
