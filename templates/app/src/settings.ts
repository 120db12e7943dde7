/** The chat settings of this app: one object, used by mikro-orm.config.ts and by the server. */
import { defineChatSettings } from 'realtime-chat-messaging';
// Swapping the Message model, step 3 of 4 (see src/models/custom-message.ts):
// import { CustomMessage, CustomMessageSerializer } from './models/custom-message.js';

export const settings = defineChatSettings({
  messageSoftDelete: true,
  // models: { Message: CustomMessage },
  // serializers: { MessageSerializer: CustomMessageSerializer },
});
