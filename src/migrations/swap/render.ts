/** Writes a swap plan as a MikroORM migration file the package's tools read like any other. */
import { quoteIdentifier as quote, quoteLiteral as literal } from '../../sql/quote.js';
import type { SwapPlan } from './plan.js';

/** The statement that copies the rows, ids kept, when the database has the old table. */
export function copyStatement(plan: SwapPlan): string {
  const lines = [`do $$ begin if to_regclass(${literal(quote(plan.oldTable))}) is not null then`];
  for (const copy of plan.copies) {
    const columns = copy.columns.map(quote).join(', ');
    lines.push(`  insert into ${quote(copy.to)} (${columns}) select ${columns} from ${quote(copy.from)};`);
  }
  for (const { table, column } of plan.sequences) {
    lines.push(
      `  perform setval(pg_get_serial_sequence(${literal(quote(table))}, ${literal(column)}), coalesce((select max(${quote(column)}) from ${quote(table)}), 0) + 1, false);`,
    );
  }
  lines.push('end if; end $$;');
  return lines.join('\n');
}

/** The `up()` statements in order, grouped with the comment each group gets. */
export function upStatements(plan: SwapPlan): { comment: string; statements: string[] }[] {
  return [
    { comment: `${plan.className}'s table${plan.createTables.filter(s => s.startsWith('create table')).length > 1 ? 's' : ''}, as migration:create writes them.`, statements: [...plan.createTables] },
    {
      comment: `The rows of ${plan.oldTable}, ids kept, so every key to them stays valid. A database created after the swap never had ${plan.oldTable}: nothing to copy.`,
      statements: [copyStatement(plan)],
    },
    {
      comment: `The package's keys to ${plan.oldTable} now point at ${plan.newTable} (on a new database, 0002_initial left them to this migration).`,
      statements: [...plan.movedKeys.map(k => `alter table ${quote(k.table)} drop constraint if exists ${quote(k.name)};`), ...plan.addMovedKeys, ...plan.statementKeys],
    },
    { comment: `${plan.newTable}'s own keys, checked once the rows are in.`, statements: [...plan.addOwnKeys] },
    {
      comment: `The default's table${plan.dropTables.length > 1 ? 's' : ''}. No cascade: a key to ${plan.oldTable} this migration does not know of stops it, and the transaction rolls back.`,
      statements: plan.dropTables.map(t => `drop table if exists ${quote(t)};`),
    },
  ].filter(group => group.statements.length > 0);
}

/** The migration file's text: TypeScript, or JavaScript when `typescript` is false. */
export function renderSwapMigration(plan: SwapPlan, className: string, typescript: boolean): string {
  const usesSwappable = plan.dependencies.some(d => d.kind === 'swappable');
  const ts = (text: string) => (typescript ? text : '');
  let out = `import { Migration } from '@mikro-orm/migrations';\n`;
  if (usesSwappable) out += `import { swappable } from 'realtime-chat-messaging';\n`;
  out += `\n/**\n`;
  out += ` * Swaps ${plan.token} after the first migrate (written by chat-migrate swap ${plan.token}): moves the rows of the\n`;
  out += ` * package's ${plan.oldTable} into ${plan.className}'s ${plan.newTable}, and the keys that pointed at them. The migrations\n`;
  out += ` * it depends on ran with the default ${plan.token}; \`static swaps\` tells the package so.\n`;
  out += ` */\n`;
  out += `export class ${className} extends Migration {\n`;
  out += `  static ${ts('readonly ')}app = '${plan.app}';\n`;
  out += `  static ${ts('readonly ')}swaps = ['${plan.token}']${ts(' as const')};\n`;
  out += `  static ${ts('readonly ')}dependencies = [\n`;
  for (const dep of plan.dependencies) out += dep.kind === 'migration' ? `    ['${dep.app}', '${dep.name}'],\n` : `    swappable('${dep.token}'),\n`;
  out += `  ]${ts(' as const')};\n\n`;
  out += `  ${ts('override ')}async up()${ts(': Promise<void>')} {\n`;
  upStatements(plan).forEach((group, i) => {
    if (i > 0) out += '\n';
    out += `    // ${group.comment}\n`;
    for (const sql of group.statements) out += `    this.addSql(\`${sql.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${')}\`);\n`;
  });
  out += `  }\n\n`;
  out += `  ${ts('override ')}async down()${ts(': Promise<void>')} {\n`;
  out += `    throw new Error('${className} cannot be reverted: ${plan.className}\\'s own columns have no place in ${plan.oldTable}. Restore a backup instead');\n`;
  out += `  }\n`;
  out += `}\n`;
  return out;
}
