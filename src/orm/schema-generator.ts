/**
 * MikroORM's schema generator with the package's statement-level keys (see `entities/statement-keys.ts`):
 * `createSchema` and `updateSchema` (and their SQL dumps) create them, `dropSchema` drops their
 * functions. Registered in the place of MikroORM's own by `chatOrmConfig`.
 */
import type { MikroORM } from '@mikro-orm/core';
import type { SqlSchemaGenerator } from '@mikro-orm/postgresql';
import { postgresql } from './postgresql.js';
import { createStatementKeySql, dropStatementKeySql, statementKeys, statementKeyTriggers, type StatementKey } from '../entities/statement-keys.js';

type CreateOptions = Parameters<SqlSchemaGenerator['getCreateSchemaSQL']>[0];
type DropOptions = Parameters<SqlSchemaGenerator['getDropSchemaSQL']>[0];
type UpdateOptions = Parameters<SqlSchemaGenerator['getUpdateSchemaSQL']>[0];

export class ChatSchemaGenerator extends postgresql.SqlSchemaGenerator {
  static override register(orm: MikroORM): void {
    orm.config.registerExtension('@mikro-orm/schema-generator', () => new ChatSchemaGenerator(orm.em));
    // Connecting (ensureDatabase) made and cached MikroORM's generator before extensions register:
    // its services are made again on demand.
    if (!(orm.config.getExtension('@mikro-orm/schema-generator') instanceof ChatSchemaGenerator)) orm.config.resetServiceCache();
  }

  private keys(): StatementKey[] {
    return statementKeys(this.metadata, this.config.getNamingStrategy());
  }

  override async getCreateSchemaSQL(options: CreateOptions = {}): Promise<string> {
    return appended(await super.getCreateSchemaSQL(options), this.keys().flatMap(createStatementKeySql));
  }

  override async getDropSchemaSQL(options: DropOptions = {}): Promise<string> {
    return appended(await super.getDropSchemaSQL(options), this.keys().flatMap(key => dropStatementKeySql(key.name)));
  }

  /** The diff, and the keys when the database lacks any of their triggers. */
  override async getUpdateSchemaSQL(options: UpdateOptions = {}): Promise<string> {
    const sql = await super.getUpdateSchemaSQL(options);
    const keys = this.keys();
    if (keys.length === 0) return sql;
    const wanted = keys.flatMap(key => statementKeyTriggers(key.name));
    const rows: { n: string | number }[] = await this.connection.execute('select count(distinct tgname) as n from pg_trigger where not tgisinternal and tgname = any(?::text[])', [`{${wanted.join(',')}}`]);
    if (Number(rows[0]?.n ?? 0) === wanted.length) return sql;
    return appended(sql, keys.flatMap(createStatementKeySql));
  }
}

function appended(sql: string, statements: readonly string[]): string {
  if (statements.length === 0) return sql;
  return `${sql.trimEnd()}\n\n${statements.join('\n')}\n`;
}
