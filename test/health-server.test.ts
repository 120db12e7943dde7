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
