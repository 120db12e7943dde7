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

test('beside a genuine cycle, the swap cycle is still mended and the genuine one is reported as left', t => {
  //   myapp.0001 -> rcm.0002 -> swappable(Message) -> myapp.0001, and myapp.0001 <-> other.0001
  const result = plan(
    declare('myapp.0001', [`${R}.0002_initial`, 'other.0001'], { sql: [CREATE] }),
    declare('other.0001', ['myapp.0001'], { sql: ['create table "other_tag" ("id" uuid);'] }),
  );
  t.deepEqual(result.repoints.map(r => r.migration), ['myapp.0001']);
  t.is(result.unmendable.length, 1);
  t.regex(result.unmendable[0]!.reason, /no repoint can break it: break it by hand/);
  t.regex(result.unmendable[0]!.cycle, /myapp\.0001 -> other\.0001 -> myapp\.0001/);
});

const twoApps: ProjectFacts = {
  ...facts,
  swaps: { Message: { app: 'myapp', className: 'CustomMessage' }, User: { app: 'other', className: 'CustomUser' } },
};
const CREATE_USER = 'create table "custom_user" ("id" uuid, "room_id" uuid); alter table "custom_user" add constraint "u_room" foreign key ("room_id") references "chat_room" ("id");';

test('two apps each closing a cycle through 0002_initial: each swapped setting is its own problem, both are repointed', t => {
  //   myapp.0001 -> rcm.0002 -> swappable(Message) -> myapp.0001
  //   other.0001 -> rcm.0002 -> swappable(User)    -> other.0001
  const { graph, problems } = buildGraph(twoApps, [
    ...base,
    { folderApp: 'myapp', result: declare('myapp.0001', [`${R}.0002_initial`], { sql: [CREATE] }) },
    { folderApp: 'other', result: declare('other.0001', [`${R}.0002_initial`], { sql: [CREATE_USER] }) },
  ]);
  const cycles = problems.filter(p => p.code === 'circular_dependency').map(p => p.message);
  t.deepEqual(cycles, [
    'circular dependency: myapp.0001 -> realtime_chat_messaging.0002_initial -> swappable(Message) = myapp.CustomMessage -> myapp.0001',
    'circular dependency: other.0001 -> realtime_chat_messaging.0002_initial -> swappable(User) = other.CustomUser -> other.0001',
  ]);
  const result = planFix(graph, twoApps);
  t.deepEqual(result.repoints.map(r => r.migration), ['myapp.0001', 'other.0001']);
  t.deepEqual(result.unmendable, []);
});

test('a chained migration that builds SQL at run time is refused on its own; the other app is still repointed', t => {
  //   other.0001 -> rcm.0002 -> swappable(Message) -> myapp.0001 -> other.0001 (other's SQL is dynamic)
  const { graph, problems } = buildGraph(facts, [
    ...base,
    { folderApp: 'myapp', result: declare('myapp.0001', [`${R}.0002_initial`, 'other.0001'], { sql: [CREATE] }) },
    { folderApp: 'other', result: declare('other.0001', [`${R}.0002_initial`], { dynamic: true }) },
  ]);
  const cycles = problems.filter(p => p.code === 'circular_dependency').map(p => p.message);
  t.deepEqual(cycles, [
    'circular dependency: myapp.0001 -> realtime_chat_messaging.0002_initial -> swappable(Message) = myapp.CustomMessage -> myapp.0001',
    'circular dependency: other.0001 -> realtime_chat_messaging.0002_initial -> swappable(Message) = myapp.CustomMessage -> myapp.0001 -> other.0001',
  ]);
  const result = planFix(graph, facts);
  t.deepEqual(result.repoints.map(r => r.migration), ['myapp.0001']);
  t.deepEqual(result.refused.map(r => r.migration), ['other.0001']);
  t.regex(result.unmendable[0]!.reason, /other\.0001 .* builds SQL at run time/);
});

test('a dependency written __latest__ that resolves to 0002_initial is repointed, the edit expecting __latest__', t => {
  const { graph } = buildGraph(facts, [...base, { folderApp: 'myapp', result: declare(`myapp.0001`, [`${R}.__latest__`], { sql: [CREATE] }) }]);
  const result = planFix(graph, facts);
  t.deepEqual(result.repoints.map(r => [r.migration, r.written]), [['myapp.0001', '__latest__']]);
});
