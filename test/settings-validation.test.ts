import test from 'ava';
import { Entity } from '@mikro-orm/core';
import {
  AbstractMessage,
  ChatConfigurationError,
  Message,
  MessageSerializerMixin,
  ReactionSerializer,
  Swappable,
  chatOrmConfig,
  defineChatSettings,
  type ChatSettingsInput,
} from '../src/index.js';
import { CustomMessage } from '../fixtures/custom-message/models.js';
import { CustomMessageSerializer } from '../fixtures/custom-message/serializers.js';
import {
  LenientRoomProperty,
  MessageOfDefault,
  NotAMessage,
  OtherMessage,
  RenamedGroupChat,
  StrictRoomProperty,
  UndecoratedMessage,
} from '../fixtures/invalid-models/models.js';
import { CustomRoomPropertySerializer } from '../fixtures/custom-room-property/serializers.js';

/** The problems of invalid settings, as `path: message` lines. */
function problemsOf(input: unknown): string[] {
  try {
    defineChatSettings(input as ChatSettingsInput);
  } catch (error) {
    if (error instanceof ChatConfigurationError) return error.problems.map(p => `${p.path}: ${p.message}`);
    throw error;
  }
  return [];
}

test('default settings are valid and complete', t => {
  const settings = defineChatSettings();
  t.is(settings.models.Message, Message);
  t.is(settings.websocketPath, 'messaging/');
  t.false(settings.messageSoftDelete);
  t.true(settings.enableNotification);
  t.is(settings.inactivityThreshold, 60);
  t.is(Object.keys(settings.serializers).length, 15);
  t.true(Object.isFrozen(settings));
});

test('swapping Room is refused with the way to swap a room type instead', t => {
  const [problem] = problemsOf({ models: { Room: CustomMessage } });
  t.regex(problem!, /^models\.Room: Room cannot be swapped: it is the polymorphic base/);
  t.regex(problem!, /extend AbstractOneToOneChat, AbstractGroupChat or AbstractChannel/);
});

test('an unknown model token is named, with the closest token suggested', t => {
  const [problem] = problemsOf({ models: { Mesage: CustomMessage } });
  t.regex(problem!, /^models\.Mesage: unknown model token 'Mesage'\. Did you mean 'Message'\?/);
});

test('a swapped model without its serializer is refused', t => {
  const [problem] = problemsOf({ models: { Message: CustomMessage } });
  t.is(
    problem,
    'models.Message: CustomMessage replaces the default Message, so it needs a matching serializer: write one that extends MessageSerializerMixin and register it as serializers.MessageSerializer',
  );
});

test('a class that does not extend the abstract base is refused', t => {
  const [problem] = problemsOf({ models: { Message: NotAMessage }, serializers: { MessageSerializer: CustomMessageSerializer } });
  t.is(problem, "models.Message: NotAMessage must extend AbstractMessage (import it from 'realtime-chat-messaging')");
});

test('a class extending the default model instead of the abstract base is refused', t => {
  const [problem] = problemsOf({ models: { Message: MessageOfDefault }, serializers: { MessageSerializer: CustomMessageSerializer } });
  t.regex(problem!, /MessageOfDefault extends the default Message; extend AbstractMessage instead/);
});

test('a class without @Entity() is refused', t => {
  const [problem] = problemsOf({ models: { Message: UndecoratedMessage }, serializers: { MessageSerializer: CustomMessageSerializer } });
  t.is(problem, 'models.Message: UndecoratedMessage has no @Entity() decorator: add @Entity() to the class');
});

test('a model given as a dotted path, as in Django, is refused with what to give instead', t => {
  const [problem] = problemsOf({ models: { Message: 'myapp.CustomMessage' } });
  t.is(problem, "models.Message: must be an entity class that extends AbstractMessage, got the string 'myapp.CustomMessage'");
});

test('a custom RoomProperty with a required field and no default is refused', t => {
  const [problem] = problemsOf({ models: { RoomProperty: StrictRoomProperty }, serializers: { RoomPropertySerializer: CustomRoomPropertySerializer } });
  t.regex(problem!, /^models\.RoomProperty: StrictRoomProperty\.theme is required and has no default/);
  t.regex(problem!, /give it a default .* or make it nullable/);
  t.deepEqual(problemsOf({ models: { RoomProperty: LenientRoomProperty }, serializers: { RoomPropertySerializer: CustomRoomPropertySerializer } }), []);
});

test('one class registered for two tokens is refused (it cannot extend both bases)', t => {
  const problems = problemsOf({
    models: { Message: CustomMessage, Reaction: CustomMessage },
    serializers: { MessageSerializer: CustomMessageSerializer },
  });
  t.true(problems.some(p => p.startsWith('models.Reaction: CustomMessage must extend AbstractReaction')));
});

test('two classes for one token (one in the settings, one among the entities) are refused at ORM configuration', async t => {
  const settings = defineChatSettings({ models: { Message: CustomMessage }, serializers: { MessageSerializer: CustomMessageSerializer } });
  const error = await t.throwsAsync(chatOrmConfig(settings, { entities: [OtherMessage] }), { instanceOf: ChatConfigurationError });
  t.regex(error!.message, /entities\.OtherMessage: two classes for the Message model: CustomMessage \(models\.Message\) and OtherMessage \(listed in entities\)/);
  const again = await t.throwsAsync(chatOrmConfig(settings, { entities: [Message] }), { instanceOf: ChatConfigurationError });
  t.regex(again!.message, /two classes for the Message model: CustomMessage \(models\.Message\) and Message/);
});

test('@Swappable on a custom class is refused: only the package defaults carry it', t => {
  const error = t.throws(() => {
    @Swappable('Message')
    @Entity()
    class SelfRegisteredMessage extends AbstractMessage {}
    return SelfRegisteredMessage;
  });
  t.regex(error!.message, /@Swappable\('Message'\) is already on Message; SelfRegisteredMessage cannot carry it too/);
});

test('a custom room type stored under another type name is refused', t => {
  const problems = problemsOf({ models: { GroupChat: RenamedGroupChat } });
  t.true(problems.some(p => /RenamedGroupChat sets discriminatorValue 'Team', but a GroupChat is stored as type 'GroupChat'/.test(p)));
});

test('serializers are checked: unknown names and classes not extending the mixin', t => {
  const problems = problemsOf({ serializers: { MesageSerializer: CustomMessageSerializer, MessageSerializer: ReactionSerializer } });
  t.deepEqual(problems, [
    "serializers.MesageSerializer: unknown serializer name. Did you mean 'MessageSerializer'? Serializer names: ChannelListSerializer, ChannelSerializer, ChatNotificationSerializer, GroupChatListSerializer, GroupChatSerializer, MessageMediaAssetSerializer, MessageSerializer, OneToOneChatListSerializer, OneToOneChatSerializer, ReactionSerializer, ReadReceiptSerializer, RoomListPolymorphicSerializer, RoomPolymorphicSerializer, RoomPropertySerializer, UserSerializer",
    "serializers.MessageSerializer: ReactionSerializer must extend MessageSerializerMixin (import it from 'realtime-chat-messaging')",
  ]);
  t.deepEqual(problemsOf({ serializers: { MessageSerializer: MessageSerializerMixin } }), []);
});

test('unknown settings are named, with the camelCase spelling suggested for Django-style keys', t => {
  const [problem] = problemsOf({ MESSAGE_SOFT_DELETE: true });
  t.regex(problem!, /^MESSAGE_SOFT_DELETE: unknown setting\. Did you mean 'messageSoftDelete'\?/);
});

test('scalar settings of the wrong type are refused, every problem at once', t => {
  const problems = problemsOf({ websocketPath: '', inactivityThreshold: -5, messageSoftDelete: 'yes', eventMapper: [], chatConsumerClass: 'Consumer' });
  t.deepEqual(problems, [
    "chatConsumerClass: must be a class (or null for the package's default), got the string 'Consumer'",
    "eventMapper: must be an object mapping an event type (e.g. 'message.pin') to its handler, got an array",
    'inactivityThreshold: must be a positive number, got -5',
    "messageSoftDelete: must be true or false, got the string 'yes'",
    "websocketPath: must be a non-empty path such as 'messaging/', got the string ''",
  ]);
});

test('models and serializers must be objects', t => {
  t.deepEqual(problemsOf({ models: [], serializers: 'x' }), [
    'models: must be an object mapping a model token (e.g. Message) to an entity class',
    'serializers: must be an object mapping a serializer name (e.g. MessageSerializer) to a serializer class',
  ]);
  t.deepEqual(problemsOf(null), ['(settings): must be an object, got null']);
});

test('the error message lists every problem, one per line', t => {
  const error = t.throws(() => defineChatSettings({ models: { Room: CustomMessage, Mesage: CustomMessage } } as never), { instanceOf: ChatConfigurationError });
  t.is(error!.code, 'configuration_error');
  t.is(error!.message.split('\n').length, 3);
  t.regex(error!.message, /^Invalid realtime-chat-messaging settings:\n  - models\.Mesage: .*\n  - models\.Room: /);
});
