import test from 'ava';
import { startDemo, type RunningDemo } from '../fixtures/demo/app.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';

let database: TestDatabase;
let demo: RunningDemo;
test.before(async () => {
  database = await createTestDatabase();
  demo = await startDemo({ port: 0, database: database.target });
});
test.after.always(async () => {
  await demo?.stop();
  await database?.drop();
});

test('the demo server answers its health route over a real socket, with the schema in place', async t => {
  const response = await fetch(`${demo.url}/health`);
  t.is(response.status, 200);
  t.deepEqual(await response.json(), { status: 'ok', database: 'ok' });
  const diff = await demo.orm.schema.getUpdateSchemaSQL();
  t.is(diff.trim(), '', 'the database matches the entities');
});

test('an unknown route is a 404 and a wrong method a 405', async t => {
  t.is((await fetch(`${demo.url}/nope`)).status, 404);
  t.is((await fetch(`${demo.url}/health`, { method: 'POST' })).status, 405);
});

test('the demo mounts the chat API with its token scheme and demo users', async t => {
  const rooms = await fetch(`${demo.url}/api/rooms`, { headers: { authorization: `Bearer ${demo.tokens.alice}` } });
  t.is(rooms.status, 200);
  t.deepEqual(await rooms.json(), []);
  const created = await fetch(`${demo.url}/api/rooms`, {
    method: 'POST',
    headers: { authorization: `Bearer ${demo.tokens.alice}`, 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'GroupChat', name: 'Demo' }),
  });
  t.is(created.status, 201);
  t.is((await fetch(`${demo.url}/api/rooms`)).status, 401);
});

test('the demo serves the WebSocket protocol on the same port, and REST writes reach the sockets', async t => {
  const { TestSocket } = await import('./helpers/ws-client.js');
  const bob = await TestSocket.open(`${demo.wsUrl}?token=${demo.tokens.bob}`);
  t.is((await bob.next()).eventType, 'chat.notifications');
  const auth = { authorization: `Bearer ${demo.tokens.alice}`, 'content-type': 'application/json' };
  const bobId = (demo.tokens.bob as string).split('.')[0];
  const room: any = await (await fetch(`${demo.url}/api/rooms`, { method: 'POST', headers: auth, body: JSON.stringify({ type: 'GroupChat', name: 'Live', participants: [bobId] }) })).json();
  t.is((await bob.event('roomcreate.dispatch')).data.id, room.id);
  await fetch(`${demo.url}/api/rooms/${room.id}/messages`, { method: 'POST', headers: auth, body: JSON.stringify({ content: 'hi bob' }) });
  t.is((await bob.event('message.dispatch')).data.content, 'hi bob');
  await bob.close();
});
