/**
 * A user's own MikroORM subscriber still hears about every message, however the engine writes it:
 * a plain send goes as one statement without the unit of work, and the engine dispatches
 * `beforeCreate` and `afterCreate` to subscribers itself, with the entity of the configured class
 * (the custom message's file checks it with a swapped Message).
 */
import test from 'ava';
import type { EntityName, EventArgs, EventSubscriber } from '@mikro-orm/core';
import { defineChatSettings, model, type AbstractMessage } from '../src/index.js';
import { useChatServer } from './helpers/use-chat-server.js';
import { group, send } from './helpers/rooms.js';

/** Records what it hears about messages; `beforeCreate` may change the message before it is stored. */
class MessageRecorder implements EventSubscriber<AbstractMessage> {
  readonly heard: { event: string; id: string; content: string; className: string; stored: boolean }[] = [];

  getSubscribedEntities(): EntityName<AbstractMessage>[] {
    return [model('Message')];
  }

  async beforeCreate(args: EventArgs<AbstractMessage>): Promise<void> {
    if (args.entity.content === 'shout') args.entity.content = 'SHOUT';
    this.heard.push({ event: 'beforeCreate', id: args.entity.id, content: args.entity.content, className: args.entity.constructor.name, stored: false });
  }

  async afterCreate(args: EventArgs<AbstractMessage>): Promise<void> {
    // Through the entity manager it is given: inside the flush's transaction when there is one.
    const stored = (await args.em.count(model('Message'), { id: args.entity.id } as never)) === 1;
    this.heard.push({ event: 'afterCreate', id: args.entity.id, content: args.entity.content, className: args.entity.constructor.name, stored });
  }
}

const recorder = new MessageRecorder();
const chat = useChatServer(defineChatSettings(), {}, [], {}, { subscribers: [recorder] });

test("a plain send runs the user's beforeCreate and afterCreate around the write, as a flush would", async t => {
  const [alice, bob] = await chat.users('alice', 'bob');
  const room = await group(chat, alice!, [bob!]);
  const sent = await send(chat, alice!, room, 'shout');
  t.is(sent.content, 'SHOUT', 'what beforeCreate changed is what is stored and shown');
  const heard = recorder.heard.filter(h => h.id === sent.id);
  t.deepEqual(
    heard.map(h => [h.event, h.className, h.stored]),
    [
      ['beforeCreate', 'Message', false],
      ['afterCreate', 'Message', true],
    ],
  );
  const stored = (await chat.orm.em.fork().findOneOrFail(model('Message'), { id: sent.id } as never)) as AbstractMessage;
  t.is(stored.content, 'SHOUT');
});

test('a reply, which takes the general path, is heard the same way', async t => {
  const [alice, bob] = await chat.users('alice', 'bob');
  const room = await group(chat, alice!, [bob!]);
  const parent = await send(chat, alice!, room, 'parent');
  const reply = await send(chat, bob!, room, { content: 'shout', parent_message_id: parent.id });
  t.is(reply.content, 'SHOUT');
  t.deepEqual(recorder.heard.filter(h => h.id === reply.id).map(h => h.event), ['beforeCreate', 'afterCreate']);
});
