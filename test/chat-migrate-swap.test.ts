/**
 * Swapping Message after the first migrate: a project ran with the package's default Message and
 * filled its database through the engine, then registered the guide's custom message.
 * `chat-migrate swap Message` writes the migration that moves it, `migrate` applies it, and every
 * row of every table is still there, ids included; the package then works with the custom class.
 */
import test from 'ava';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { MikroORM } from '@mikro-orm/core';
import { chatOrmConfig, createChatEngine, defineChatSettings, type AbstractUser, type DatabaseTarget } from '../src/index.js';
import { CustomMessage } from '../fixtures/custom-message/models.js';
import { settings as customSettings } from '../fixtures/custom-message/settings.js';
import { createTestDatabase } from './helpers/database.js';
import { createUsers } from './helpers/factories.js';
import { CLI, MIKRO_ORM_CLI, copyProject, run, type Project } from './helpers/project.js';
import { canonicalRow, tableRows } from './helpers/table-rows.js';

let project: Project;
let database: DatabaseTarget;
let before: Record<string, string[]>;
const ids: Record<string, string> = {};

/** Fills the database the way users do, through the engine: every table that refers to messages gets rows. */
async function populate(orm: MikroORM): Promise<void> {
  const settings = defineChatSettings();
  const engine = createChatEngine({ orm, settings });
  const [alice, bob, carol] = (await createUsers(orm.em.fork(), 'alice', 'bob', 'carol')) as [AbstractUser, AbstractUser, AbstractUser];
  const room = async (user: AbstractUser, data: Record<string, unknown>) => ((await engine.createRoom(user, data)).result as { id: string }).id;
  const send = async (user: AbstractUser, roomId: string, content: string, extra: Record<string, unknown> = {}) =>
    ((await engine.sendMessage(user, { room_id: roomId, content, extra_fields: extra })).result as { id: string }).id;
  const team = await room(alice, { type: 'GroupChat', name: 'Team', participants: [bob.id, carol.id] });
  const news = await room(alice, { type: 'Channel', name: 'News', subscribers: [bob.id, carol.id] });
  const direct = await room(bob, { type: 'OneToOneChat', participants: [carol.id] });
  const sent: string[] = [];
  for (let i = 0; i < 30; i++) sent.push(await send([alice, bob, carol][i % 3]!, team, `team message ${i}`));
  for (let i = 0; i < 5; i++) sent.push(await send(alice, news, `news ${i}`));
  ids.team = team;
  ids.first = sent[0]!;
  ids.reply = await send(bob, team, 'a reply', { parent_message_id: sent[0] });
  ids.forward = await send(carol, direct, '', { forwarded_from_id: sent[1] });
  ids.media = await send(alice, team, '', { media: [{ media_url: 'https://cdn.example/a.png', media_type: 'image' }, { media_url: 'https://cdn.example/b.pdf', media_type: 'file' }] });
  for (const [i, id] of sent.slice(0, 12).entries()) await engine.reactToMessage([bob, carol][i % 2]!, { type: 'add', message_id: id, reaction_content: ['👍', '🎉', '👀'][i % 3] });
  await engine.readMessages(bob, { message_id: sent.slice(0, 20) });
  await engine.readMessages(carol, { message_id: sent.slice(10, 25) });
  await engine.acknowledgeMessages(carol, { message_id: sent.slice(0, 8) });
  await engine.acknowledgeMessages(bob, { message_id: sent.slice(20, 30) });
}

test.before(async () => {
  project = await copyProject('swap-message');
  database = project.database.target.url ? project.database.target : { dataDir: project.env.CHAT_DATA_DIR! };
  // The project as it was before the swap: default settings, the package's migrations applied, the chat used.
  const orm = await MikroORM.init(await chatOrmConfig(defineChatSettings(), { database, baseDir: project.dir, apps: { myapp: { migrations: 'migrations' } }, migrations: { silent: true } }));
  try {
    await orm.getMigrator().up();
    await populate(orm);
    before = await tableRows(orm);
  } finally {
    await orm.close(true);
  }
});
test.after.always(async () => {
  await project?.remove();
});

test.serial('the populated database holds rows in every table that refers to messages', t => {
  for (const table of ['chat_message', 'chat_message_delivered_to', 'chat_reaction', 'chat_read_receipt', 'chat_notification', 'chat_message_media_asset', 'chat_room_event']) {
    t.true(before[table]!.length > 0, `${table} is empty`);
  }
  t.true(before.chat_room!.some(row => JSON.parse(row).last_message_id !== null));
  t.true(before.chat_message!.some(row => JSON.parse(row).parent_message_id !== null));
  t.true(before.chat_message!.some(row => JSON.parse(row).forwarded_from_id !== null));
});

test.serial("before the swap, check and migrate refuse: the swapped Message's app has no migration", async t => {
  const check = await project.chatMigrate('check');
  t.is(check.code, 1, check.stdout + check.stderr);
  t.regex(check.stdout, /swappable\(Message\) = myapp\.CustomMessage/);
  const migrate = await project.chatMigrate('migrate');
  t.is(migrate.code, 1);
  t.regex(migrate.stdout, /nothing was applied/);
});

test.serial('the guide\'s way (migration:create, then fix) ends at an inconsistent history, and migrate names the way out: swap', async t => {
  // What migration:create and fix write for the custom message: its table, after 0001_initial.
  const created = readFileSync(join(project.dir, '..', 'custom-message', 'migrations', 'Migration20261125101632.ts'), 'utf8');
  const file = join(project.dir, 'migrations', 'Migration20261125101632.ts');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, created.replace("['realtime_chat_messaging', '0002_initial']", "['realtime_chat_messaging', '0001_initial']"));
  try {
    const check = await project.chatMigrate('check');
    t.is(check.code, 0, check.stdout + check.stderr);
    const migrate = await project.chatMigrate('migrate');
    t.is(migrate.code, 1, migrate.stdout + migrate.stderr);
    t.regex(migrate.stdout, /realtime_chat_messaging\.0002_initial is applied, but its dependency myapp\.Migration20261125101632 is not/);
    t.regex(migrate.stdout, /ran with the package's default Message, which the settings now swap for myapp\.CustomMessage: if no database applied myapp\.Migration20261125101632, delete it and run chat-migrate swap Message/);
    t.notRegex(migrate.stdout, /by hand/);
    const swap = await project.chatMigrate('swap', 'Message');
    t.is(swap.code, 1, swap.stdout + swap.stderr);
    t.regex(swap.stderr, /myapp\.Migration20261125101632 already creates custom_message, .*delete that file and run chat-migrate swap Message again/);
  } finally {
    rmSync(join(project.dir, 'migrations'), { recursive: true, force: true });
  }
});

test.serial('swap refuses a wrong command line with exit 2, and a model that is not swapped with exit 1, writing nothing', async t => {
  const files = project.fingerprint();
  const cases: [string[], number, RegExp][] = [
    [['swap'], 2, /swap needs the model token to swap, e\.g\. chat-migrate swap Message/],
    [['swap', 'Mesage'], 2, /unknown model token 'Mesage'\. Did you mean 'Message'\?/],
    [['swap', 'Message', 'Reaction'], 2, /unexpected argument 'Reaction'/],
    [['swap', 'Message', '--format', 'dot'], 2, /swap does not take --format/],
    [['swap', 'Reaction'], 1, /nothing to swap: the settings use the package's default Reaction/],
  ];
  for (const [args, code, message] of cases) {
    const result = await project.chatMigrate(...args);
    t.is(result.code, code, `${args.join(' ')}: ${result.stdout}${result.stderr}`);
    t.regex(result.stderr, message);
  }
  const help = await project.chatMigrate('swap', '--help');
  t.is(help.code, 0);
  t.regex(help.stdout, /^Usage: chat-migrate swap <Token> \[options\]/);
  t.deepEqual(project.fingerprint(), files);
});

test.serial('swap --dry-run prints the migration and writes nothing', async t => {
  const files = project.fingerprint();
  const result = await project.chatMigrate('swap', 'Message', '--dry-run');
  t.is(result.code, 0, result.stdout + result.stderr);
  t.regex(result.stdout, /^Would write migrations\/Migration\d{14}_swap_message\.ts, which moves Message from chat_message to custom_message/);
  t.regex(result.stdout, /static readonly swaps = \['Message'\] as const;/);
  t.regex(result.stdout, /\['realtime_chat_messaging', '0002_initial'\],/);
  t.regex(result.stdout, /\(dry run: nothing was written\)\n$/);
  t.deepEqual(project.fingerprint(), files);
});

test.serial('swap writes the migration and the snapshot, and the graph is consistent', async t => {
  const files = project.fingerprint();
  const result = await project.chatMigrate('swap', 'Message');
  t.is(result.code, 0, result.stdout + result.stderr);
  t.regex(result.stdout, /5 keys moved \(chat_message_media_asset\.message_id, chat_notification\.message_id, chat_reaction\.message_id, chat_read_receipt\.message_id, chat_room\.last_message_id\)/);
  const added = Object.keys(project.fingerprint()).filter(file => !(file in files)).sort();
  t.is(added.length, 2, added.join(', '));
  t.is(added[0], 'migrations/.snapshot-myapp.json');
  t.regex(added[1]!, /^migrations\/Migration\d{14}_swap_message\.ts$/);
  const check = await project.chatMigrate('check');
  t.is(check.code, 0, check.stdout + check.stderr);
  t.regex(check.stdout, /^No problems: 3 migrations \(realtime_chat_messaging: 2, myapp: 1\)/);
  const again = await project.chatMigrate('swap', 'Message');
  t.is(again.code, 1);
  t.regex(again.stderr, /nothing to swap: myapp\.Migration\d{14}_swap_message already moves Message/);
});

test.serial('migrate applies the swap on the migrated database, keeping every row of every table, ids included', async t => {
  const result = await project.chatMigrate('migrate');
  t.is(result.code, 0, result.stdout + result.stderr);
  t.regex(result.stdout, /^Applied myapp\.Migration\d{14}_swap_message\n1 migration applied\.$/m);
  const plan = await project.chatMigrate('plan');
  t.is(plan.code, 0, plan.stdout + plan.stderr);
  t.deepEqual(plan.stdout.trim().split('\n').map(line => line.slice(0, 4)), ['[X] ', '[X] ', '[X] ']);
  const orm = await MikroORM.init(await chatOrmConfig(customSettings, { database, entities: [CustomMessage] }));
  let after: Record<string, string[]>;
  try {
    after = await tableRows(orm);
  } finally {
    await orm.close(true);
  }
  const expected: Record<string, string[]> = { ...before };
  delete expected.chat_message;
  delete expected.chat_message_delivered_to;
  // The custom columns of the copied rows take their defaults.
  expected.custom_message = before.chat_message!.map(row => canonicalRow({ ...JSON.parse(row), priority: 'normal', is_pinned: false, expiry_date: null })).sort();
  expected.custom_message_delivered_to = before.chat_message_delivered_to!;
  t.deepEqual(Object.keys(after).sort(), Object.keys(expected).sort());
  for (const table of Object.keys(expected)) t.deepEqual(after[table], expected[table], `rows of ${table}`);
});

test.serial("MikroORM's own schema diff against the entities is empty after the swap", async t => {
  const result = await project.mikroOrm('schema:update', '--dump');
  t.is(result.code, 0, result.stdout + result.stderr);
  t.regex(result.stdout, /Schema is up-to-date/);
});

test.serial('the package sends, lists, replies to and reacts to messages with the custom class on the swapped database', async t => {
  const orm = await MikroORM.init(await chatOrmConfig(customSettings, { database, entities: [CustomMessage] }));
  try {
    const engine = createChatEngine({ orm, settings: customSettings });
    const em = orm.em.fork();
    const old = await em.findOneOrFail(CustomMessage, ids.first!, { populate: ['sender', 'reactions', 'readReceipts', 'deliveredTo'] });
    t.is(old.priority, 'normal');
    t.true(old.reactions.length > 0 && old.readReceipts.length > 0 && old.deliveredTo.length > 0);
    const alice = old.sender;
    const sent = await engine.sendMessage(alice, { room_id: ids.team, content: 'after the swap', extra_fields: { priority: 'urgent', parent_message_id: ids.first } });
    const id = (sent.result as { id: string }).id;
    const stored = await orm.em.fork().findOneOrFail(CustomMessage, id, { populate: ['parentMessage'] });
    t.is(stored.priority, 'urgent');
    t.is(stored.parentMessage?.id, ids.first);
    const history = await engine.messageHistory(alice, { room_id: ids.team, limit: 100 });
    const listed = history.result.results as { id: string; priority: string; parent_message?: unknown }[];
    t.is(listed[0]!.id, id);
    t.is(listed[0]!.priority, 'urgent');
    for (const key of ['first', 'reply', 'media'] as const) t.true(listed.some(m => m.id === ids[key] && m.priority === 'normal'), `${key} is listed`);
    const reacted = await engine.reactToMessage(alice, { type: 'add', message_id: ids.reply, reaction_content: '🎉' });
    t.is((reacted.result as { status: string }).status, 'successful');
  } finally {
    await orm.close(true);
  }
});

test.serial('a new database goes through the same history to the same schema: 0001_initial, 0002_initial, then the swap', async t => {
  const fresh = await createTestDatabase();
  const env: NodeJS.ProcessEnv = { ...project.env };
  if (fresh.target.url) env.DATABASE_URL = fresh.target.url;
  else {
    env.CHAT_DATA_DIR = join(project.dir, '.pgdata-fresh');
    mkdirSync(env.CHAT_DATA_DIR);
  }
  try {
    const result = await run(process.execPath, [CLI, 'migrate'], project.dir, env);
    t.is(result.code, 0, result.stdout + result.stderr);
    const applied = result.stdout.split('\n').filter(line => line.startsWith('Applied ')).map(line => line.slice('Applied '.length));
    t.is(applied.length, 3, result.stdout);
    t.deepEqual(applied.slice(0, 2), ['realtime_chat_messaging.0001_initial', 'realtime_chat_messaging.0002_initial']);
    t.regex(applied[2]!, /^myapp\.Migration\d{14}_swap_message$/);
    const diff = await run(process.execPath, ['--loader', 'ts-node/esm', '--no-warnings', MIKRO_ORM_CLI, 'schema:update', '--dump'], project.dir, env);
    t.is(diff.code, 0, diff.stdout + diff.stderr);
    t.regex(diff.stdout, /Schema is up-to-date/);
  } finally {
    await fresh.drop();
  }
});
