/** The text of a merge migration: it depends on an app's latest migrations, and changes nothing in the database. */

/** The file, TypeScript or (when `typescript` is false) JavaScript, shaped as the package's generator writes migrations. */
export function renderMergeMigration(app: string, className: string, leaves: readonly string[], typescript: boolean): string {
  const ts = (text: string) => (typescript ? text : '');
  let out = `import { Migration } from '@mikro-orm/migrations';\n\n`;
  out += `/** Merges the latest migrations of app '${app}' (written by chat-migrate merge): it changes nothing in the database. */\n`;
  out += `export class ${className} extends Migration {\n`;
  out += `  static ${ts('readonly ')}app = '${app}';\n`;
  out += `  static ${ts('readonly ')}dependencies = [\n`;
  for (const leaf of leaves) out += `    ['${app}', '${leaf}'],\n`;
  out += `  ]${ts(' as const')};\n\n`;
  out += `  ${ts('override ')}async up()${ts(': Promise<void>')} {}\n\n`;
  out += `  ${ts('override ')}async down()${ts(': Promise<void>')} {}\n`;
  out += `}\n`;
  return out;
}
