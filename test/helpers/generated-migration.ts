/** A migration as MikroORM's generator writes it for a custom Message app (with a comment a hand added). */
export const GENERATED_MIGRATION = `import { Migration } from '@mikro-orm/migrations';
import { swappable } from 'realtime-chat-messaging';

export class Migration20260101000000 extends Migration {
  static readonly app = 'myapp';
  static readonly dependencies = [
    ['realtime_chat_messaging', '0002_initial'], // the latest package migration
    swappable('User'),
  ] as const;

  override async up(): Promise<void> {
    this.addSql(\`create table "custom_message" ("id" uuid not null, "room_id" uuid not null);\`);
    this.addSql('alter table "custom_message" add constraint "custom_message_room_id_foreign" foreign key ("room_id") references "chat_room" ("id");');
  }

  override async down(): Promise<void> {
    this.addSql(\`drop table if exists "custom_message" cascade;\`);
  }
}
`;
