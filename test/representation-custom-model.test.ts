/**
 * A swapped Message class shown by the default serializer: replies nest their parents in full, so
 * the page's statement takes the page's rows as they are into the set their relations and
 * ancestors are read for, by the columns the custom class maps (its own included). The statement
 * shows exactly what the serializer shows from entities.
 */
import test from 'ava';
import { MessageSerializer, defineChatSettings } from '../src/index.js';
import { CustomMessage } from '../fixtures/custom-message/models.js';
import { useApi } from './helpers/api.js';
import { group, send } from './helpers/rooms.js';
import { firstDifference, historyBothWays } from './helpers/history-paths.js';

/** The default serializer (parents nested in full) with the custom class's own fields. */
class NestingCustomSerializer extends MessageSerializer {
  static override readonly declaredFields: readonly string[] = [...MessageSerializer.declaredFields, 'priority', 'is_pinned', 'expiry_date'];
}

const api = useApi(defineChatSettings({ models: { Message: CustomMessage }, serializers: { MessageSerializer: NestingCustomSerializer } }), [CustomMessage]);

test('replies nested past the nesting limit and a second reply to a message that is also on the page, as from entities', async t => {
  const [alice, bob] = await api.users('alice', 'bob');
  const room = await group(api, alice!, [bob!]);
  const root = await send(api, alice!, room, 'root');
  let parent = root;
  for (let depth = 0; depth < 5; depth++) parent = await send(api, depth % 2 ? alice! : bob!, room, { content: `reply ${depth}`, parent_message_id: parent.id });
  await send(api, bob!, room, { content: 'a reply to the root', parent_message_id: root.id });
  await api.call(bob!, 'POST', `/messages/${root.id}/reactions`, { reaction_content: '👍' });
  const { inSql, fromEntities } = await historyBothWays(api, room, bob!.id);
  t.truthy(inSql, 'the serializer compiles to SQL for the custom class');
  t.is(inSql!.length, 7);
  t.is(firstDifference(inSql, fromEntities), undefined);
  t.is((inSql![0] as any).priority, 'normal', "the custom class's own fields are shown");
  // The deepest reply shows its parents in full down to the nesting limit.
  t.is((inSql![1] as any).parent_message.parent_message.parent_message.content, 'reply 1');
});
