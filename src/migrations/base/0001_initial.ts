/** The package's first migration: its tables, with the keys between them. Swap-aware: computed from the configured models when it runs. */
import { Migration } from '@mikro-orm/migrations';
import { packageMigrationSql } from '../package-schema.js';

export class Migration0001Initial extends Migration {
  static readonly app = 'realtime_chat_messaging';
  static readonly dependencies = [] as const;

  override async up(): Promise<void> {
    for (const statement of (await packageMigrationSql(this.getEntityManager(), '0001_initial')).up) this.addSql(statement);
  }

  override async down(): Promise<void> {
    for (const statement of (await packageMigrationSql(this.getEntityManager(), '0001_initial')).down) this.addSql(statement);
  }
}
