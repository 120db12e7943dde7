import test from 'ava';
import { buildGraph } from '../src/migrations/loader.js';
import type { ProjectFacts } from '../src/migrations/project.js';
import { planFix } from '../src/migrations/repoint.js';
import { declare } from './helpers/declarations.js';

const R = 'realtime_chat_messaging';
const facts: ProjectFacts = {
  root: '/project',
  configFile: '/project/mikro-orm.config.ts',
  apps: [
    { label: R, dir: `/project/${R}` },
    { label: 'myapp', dir: '/project/myapp' },
    { label: 'other', dir: '/project/other' },
  ],
  swaps: { Message: { app: 'myapp', className: 'CustomMessage' } },
  firstMigrationTables: ['chat_room', 'chat_user', 'chat_read_receipt'],
  secondMigrationNames: ['chat_read_receipt_message_id_foreign'],
};
const base = [
  { folderApp: R, result: declare(`${R}.0001_initial`, [], { dynamic: true }) },
  { folderApp: R, result: declare(`${R}.0002_initial`, [`${R}.0001_initial`], { swappable: ['User', 'Message'], dynamic: true }) },
];
const plan = (...extra: ReturnType<typeof declare>[]) => {
  const { graph } = buildGraph(facts, [...base, ...extra.map(result => ({ folderApp: result.app, result }))]);
  return planFix(graph, facts);
};
const CREATE = 'create table "custom_message" ("id" uuid, "room_id" uuid); alter table "custom_message" add constraint "m_room" foreign key ("room_id") references "chat_room" ("id");';

test('a migration that needs only what 0001_initial creates is repointed', t => {
  const result = plan(declare('myapp.0001', [`${R}.0002_initial`], { sql: [CREATE] }));
  t.deepEqual(result.unmendable, []);
  t.deepEqual(result.repoints.map(r => r.migration), ['myapp.0001']);
});

test('a migration using a key that 0002_initial creates is not repointed', t => {
  const result = plan(
    declare('myapp.0001', [`${R}.0002_initial`], { sql: [CREATE, 'alter table "chat_read_receipt" drop constraint "chat_read_receipt_message_id_foreign";'] }),
  );
  t.deepEqual(result.repoints, []);
  t.regex(result.unmendable[0]!.reason, /not safe: it uses chat_read_receipt_message_id_foreign, which realtime_chat_messaging\.0002_initial creates/);
});

test('a migration needing a table no remaining dependency creates is not repointed', t => {
  const result = plan(
    declare('other.0001', [`${R}.0002_initial`], { sql: ['create table "other_tag" ("id" uuid);'] }),
    declare('myapp.0001', [`${R}.0002_initial`], { sql: [CREATE, 'alter table "custom_message" add column "tag_id" uuid references "other_tag" ("id");'] }),
  );
  t.deepEqual(result.repoints, []);
  t.regex(result.unmendable[0]!.reason, /it needs "other_tag", which no migration it would depend on creates/);
});

test('a migration whose SQL is built at run time is not repointed: the tool cannot check it', t => {
  const result = plan(declare('myapp.0001', [`${R}.0002_initial`], { dynamic: true }));
  t.deepEqual(result.repoints, []);
  t.regex(result.unmendable[0]!.reason, /builds SQL at run time .* repoint it by hand if you are sure/);
});

test('a cycle that a repoint leaves in place is reported, not guessed at', t => {
  //   myapp.0001 -> rcm.0002 -> swappable(Message) -> myapp.0001, and myapp.0001 <-> other.0001
  const result = plan(
    declare('myapp.0001', [`${R}.0002_initial`, 'other.0001'], { sql: [CREATE] }),
    declare('other.0001', ['myapp.0001'], { sql: ['create table "other_tag" ("id" uuid);'] }),
  );
  t.deepEqual(result.repoints, []);
  t.regex(result.unmendable[0]!.reason, /leaves this cycle, which no repoint can break/);
  t.regex(result.unmendable[0]!.cycle, /myapp\.0001 -> other\.0001 -> myapp\.0001/);
});
