/**
 * An example of a swapped model: messages with a priority. Every model of the package (User,
 * Message, GroupChat…) can be replaced by a class of yours this way.
 *
 * Swap before the first `npm run migrate`: the package's tables are created for the models
 * configured then. A swap afterwards needs a migration that moves the rows, which
 * `npx chat-migrate swap Message` writes (instead of step 4's migration:create and fix).
 *
 * 1. Uncomment this file.
 * 2. Uncomment CustomMessage in mikro-orm.config.ts (the app's entities).
 * 3. Uncomment the models and serializers lines in src/settings.ts.
 * 4. Create and repair the app's first migration, then apply everything:
 *      npm run migration:create   # writes migrations/Migration<timestamp>.ts with your table
 *      npx chat-migrate fix       # repoints it from 0002_initial to 0001_initial (check shows why)
 *      npm run check && npm run dev
 */
export {};

// import { Entity, Enum, type Opt } from '@mikro-orm/core';
// import { IsIn, IsOptional } from 'class-validator';
// import { AbstractMessage, MessageSerializerMixin } from 'realtime-chat-messaging';
//
// @Entity()
// export class CustomMessage extends AbstractMessage {
//   @Enum({ items: () => ['low', 'normal', 'high'], length: 10 })
//   priority: Opt<'low' | 'normal' | 'high'> = 'normal';
// }
//
// /** Shows and accepts `priority` in REST and WebSocket payloads. */
// export class CustomMessageSerializer extends MessageSerializerMixin<CustomMessage> {
//   static override readonly fields = [
//     'id', 'content', 'room', 'room_id', 'sender', 'sender_id', 'priority',
//     'is_deleted', 'is_edited', 'is_forwarded', 'forwarded_from', 'parent_message',
//     'delivered_to', 'read_receipts', 'reactions', 'attachments', 'created_at', 'updated_at',
//   ];
//
//   @IsOptional() @IsIn(['low', 'normal', 'high'])
//   priority?: string;
// }
