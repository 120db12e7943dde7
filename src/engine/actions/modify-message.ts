/** `message.modify`: reads which modification is asked for, and hands it to the edit or the deletion. */
import { ValidationFailed } from '../../errors/chat-error.js';
import type { Representation } from '../../serializers/model-serializer.js';
import type { EngineContext } from '../context.js';
import type { ActionResult } from '../events.js';
import { idList, objectInput, oneOf } from '../input.js';
import { deleteMessages } from './delete-message.js';
import { editMessage } from './edit-message.js';

/** `message.modify`: `update` one message's content (its sender), or `delete` messages of one room (soft or hard, by the setting). */
export async function modifyMessage(ctx: EngineContext, data: unknown): Promise<ActionResult<Representation>> {
  const input = objectInput(data);
  const action = oneOf(input.action, 'action', ['update', 'delete'] as const);
  const ids = idList(input.message_id, 'message_id');
  if (action === 'delete') return deleteMessages(ctx, ids);
  if (ids.length > 1) throw ValidationFailed.rule('You can only update one message at a time');
  if (input.extra_fields === undefined || input.extra_fields === null) throw ValidationFailed.rule("'extra_fields' field should be provided for update action");
  const content = objectInput(input.extra_fields, 'extra_fields').content;
  if (content === undefined || content === null || content === '') throw ValidationFailed.rule('Content should be provided for update action');
  return editMessage(ctx, ids[0]!, content);
}
