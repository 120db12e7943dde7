/**
 * The package's second migration: the keys from its tables to models another app may own.
 * It runs after the first migration of the app that owns each swapped User, Message and RoomProperty.
 */
import { Migration } from '@mikro-orm/migrations';
import { packageMigrationSql } from '../package-schema.js';
import { swappable } from '../swappable-dependency.js';

export class Migration0002Initial extends Migration {
  static readonly app = 'realtime_chat_messaging';
  static readonly dependencies = [['realtime_chat_messaging', '0001_initial'], swappable('User'), swappable('Message'), swappable('RoomProperty')] as const;

  override async up(): Promise<void> {
    for (const statement of (await packageMigrationSql(this.getEntityManager(), '0002_initial')).up) this.addSql(statement);
  }

  override async down(): Promise<void> {
    for (const statement of (await packageMigrationSql(this.getEntityManager(), '0002_initial')).down) this.addSql(statement);
  }
}
