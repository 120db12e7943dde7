/**
 * `close()` of the WebSocket server leaves no work behind: a session sweep or a frame handler under
 * way when it is called has finished when it resolves, so the database can be closed next without
 * anything failing (or being reported) afterwards.
 */
import test from 'ava';
import { ChatConsumer, defineChatSettings, type ChatSettings, type ClientRequest } from '../src/index.js';
import { chatDatabase, startChatServer, type ChatServer } from './helpers/chat-server.js';
import { RecordingLogger } from './helpers/recording-logger.js';

const delay = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/** Resolves when `started` was called; `finished` becomes true when the slow work ends. */
function gate() {
  let open!: () => void;
  const started = new Promise<void>(resolve => (open = resolve));
  return { started, open, finished: false };
}

const slowHandler = gate();

/** A consumer with a handler that is slow, then reads the database. */
class SlowConsumer extends ChatConsumer {
  async slowRead(_data: unknown, request: ClientRequest): Promise<void> {
    slowHandler.open();
    await delay(300);
    const rows = await this.engine.orm.em.fork().getConnection().execute('select count(*) as n from chat_room');
    slowHandler.finished = true;
    this.reply('test.slow_read', { rooms: Number(rows[0].n) }, request);
  }
}

/** A server over a database of its own, closed by the test (the WebSocket server first, then the database). */
async function startServer(settings: ChatSettings, logger: RecordingLogger): Promise<{ chat: ChatServer; closeAll(): Promise<void> }> {
  const { orm, database } = await chatDatabase(settings);
  const chat = await startChatServer(orm, settings, { logger, pingIntervalMs: 0 });
  return {
    chat,
    async closeAll() {
      await chat.realtime.close();
      await orm.close(true);
      chat.http.closeAllConnections();
      await new Promise(resolve => chat.http.close(resolve));
      await database.drop();
    },
  };
}

test('a session sweep under way has finished when close() resolves; nothing fails after the database closed', async t => {
  const logger = new RecordingLogger();
  // A sweep every 500 ms (a quarter of the threshold).
  const { chat, closeAll } = await startServer(defineChatSettings({ inactivityThreshold: 2 }), logger);
  const sweep = gate();
  const expire = chat.realtime.sessions.expire.bind(chat.realtime.sessions);
  chat.realtime.sessions.expire = async (...args) => {
    sweep.open();
    await delay(300);
    try {
      return await expire(...args);
    } finally {
      sweep.finished = true;
    }
  };
  const [alice] = await chat.users('alice');
  await chat.connect(alice!);
  await sweep.started;
  await closeAll();
  t.true(sweep.finished, 'close() waited for the sweep');
  await delay(700); // past the next sweep's time
  t.deepEqual(logger.entries, []);
});

test('a frame handler under way has finished when close() resolves; its socket is closed with 1001', async t => {
  const logger = new RecordingLogger();
  const settings = defineChatSettings({ chatConsumerClass: SlowConsumer, eventMapper: { 'test.slow_read': 'slowRead' } });
  const { chat, closeAll } = await startServer(settings, logger);
  const [alice] = await chat.users('alice');
  const socket = await chat.connect(alice!);
  socket.send({ event_type: 'test.slow_read', data: {} });
  await slowHandler.started;
  await closeAll();
  t.true(slowHandler.finished, 'close() waited for the handler');
  t.is((await socket.closed).code, 1001);
  t.deepEqual(logger.entries, []);
});
