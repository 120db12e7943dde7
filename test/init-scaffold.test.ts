/**
 * `npx realtime-chat-messaging init`, as a new user meets it: the package packed with `npm pack`,
 * the app written from that tarball into an empty folder outside this repository, installed from
 * the tarball and the npm registry, built, checked, migrated and started; then a REST call and a
 * WebSocket message. One install serves every test of the file.
 */
import test from 'ava';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './helpers/free-port.js';
import { ROOT, type Run } from './helpers/project.js';
import { TestSocket } from './helpers/ws-client.js';

const INIT = join(ROOT, 'dist', 'cli', 'init.js');
const WORK = mkdtempSync(join(tmpdir(), 'chat-init-'));
const APP = join(WORK, 'my-chat');
// The app's own database (the embedded one under .data/), whatever the test run uses.
const ENV: NodeJS.ProcessEnv = { ...process.env, NODE_NO_WARNINGS: '1', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };
delete ENV.DATABASE_URL;
delete ENV.CHAT_DATA_DIR;
delete ENV.CHAT_TOKEN_SECRET;

function run(command: string, args: readonly string[], cwd: string, timeout = 240_000, env = ENV): Promise<Run> {
  return new Promise(done => {
    execFile(command, args, { cwd, env, timeout, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      done({ code, stdout: stdout.toString(), stderr: stderr.toString() });
    });
  });
}

const npm = (args: readonly string[], cwd = APP) => run('npm', args, cwd);
const says = (r: Run) => `exit ${r.code}\n${r.stdout}\n${r.stderr}`;

/** A user as create-user prints it. */
interface CreatedUser {
  readonly id: string;
  readonly username: string;
  readonly token: string;
}

/** `npm run create-user -- <names…>`, parsed. */
async function createUsers(env: NodeJS.ProcessEnv, ...names: string[]): Promise<CreatedUser[]> {
  const created = await run('npm', ['run', '--silent', 'create-user', '--', ...names], APP, 240_000, env);
  if (created.code !== 0) throw new Error(`create-user failed: ${says(created)}`);
  return created.stdout.trim().split('\n').map(line => JSON.parse(line) as CreatedUser);
}

/** `npm start` on a free port, once /health answers. */
async function startApp(env: NodeJS.ProcessEnv = ENV): Promise<{ url: string; health: Response; stop(): Promise<void> }> {
  const port = await freePort();
  const server: ChildProcess = spawn('npm', ['start'], { cwd: APP, env: { ...env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  server.stdout!.on('data', chunk => (output += chunk));
  server.stderr!.on('data', chunk => (output += chunk));
  const exited = new Promise(done => server.once('exit', done));
  // npm start runs node in a child: end the whole group.
  const stop = async () => {
    if (server.exitCode === null && server.pid) process.kill(-server.pid, 'SIGTERM');
    await exited;
  };
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 1200 && server.exitCode === null; i++) {
    const health = await fetch(`${url}/health`).catch(() => undefined);
    if (health) return { url, health, stop };
    await new Promise(done => setTimeout(done, 100));
  }
  await stop();
  throw new Error(`the app did not answer: ${output}`);
}

const authorised = (token: string) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });

/** Alice opens a one-to-one chat with Bob over REST. */
async function oneToOne(url: string, alice: CreatedUser, bob: CreatedUser): Promise<{ id: string }> {
  const response = await fetch(`${url}/api/chat/rooms`, { method: 'POST', headers: authorised(alice.token), body: JSON.stringify({ type: 'OneToOneChat', participants: [bob.id] }) });
  if (response.status !== 201) throw new Error(`creating a room: ${response.status} ${await response.text()}`);
  return (await response.json()) as { id: string };
}

let installed: Promise<void> | undefined;

/** Packs the package, writes the app from the tarball, installs and builds it: once per file. */
function installApp(): Promise<void> {
  installed ??= (async () => {
    const pack = await npm(['pack', '--ignore-scripts', '--pack-destination', WORK], ROOT);
    if (pack.code !== 0) throw new Error(`npm pack failed: ${says(pack)}`);
    const tarball = readdirSync(WORK).find(file => file.endsWith('.tgz'))!;
    // init runs from the unpacked tarball: the templates it needs must be in the package.
    mkdirSync(join(WORK, 'unpacked'));
    const untar = await run('tar', ['xzf', join(WORK, tarball), '-C', join(WORK, 'unpacked')], WORK);
    if (untar.code !== 0) throw new Error(`tar failed: ${says(untar)}`);
    const init = await run(process.execPath, [join(WORK, 'unpacked', 'package', 'dist', 'cli', 'init.js'), 'init', 'my-chat', '--package', `./${tarball}`], WORK);
    if (init.code !== 0) throw new Error(`init failed: ${says(init)}`);
    const install = await npm(['install', '--prefer-offline', '--no-audit', '--no-fund']);
    if (install.code !== 0) throw new Error(`npm install failed: ${says(install)}`);
    const build = await npm(['run', 'build']);
    if (build.code !== 0) throw new Error(`npm run build failed: ${says(build)}`);
  })();
  return installed;
}

test.after.always(() => rmSync(WORK, { recursive: true, force: true }));

test.serial('init writes package.json, tsconfig and the app, and the app builds with the newest TypeScript it allows', async t => {
  t.timeout(300_000);
  await installApp();
  const manifest = JSON.parse(readFileSync(join(APP, 'package.json'), 'utf8'));
  t.is(manifest.type, 'module');
  t.is(manifest.name, 'my-chat');
  t.regex(manifest.dependencies['realtime-chat-messaging'], /^file:\.\.\/realtime-chat-messaging-.*\.tgz$/);
  t.is(manifest.dependencies['@mikro-orm/core'], '6.6.16');
  t.is(manifest.devDependencies.typescript, '~5.9.3');
  t.deepEqual(Object.keys(manifest.scripts).filter(s => ['dev', 'build', 'start', 'migrate', 'check'].includes(s)).sort(), ['build', 'check', 'dev', 'migrate', 'start']);
  const installedTs = JSON.parse(readFileSync(join(APP, 'node_modules', 'typescript', 'package.json'), 'utf8')).version;
  t.regex(installedTs, /^5\.9\.\d+$/, 'TypeScript 7 has no JavaScript API: the scaffold must never get it');
  const { compilerOptions } = JSON.parse(readFileSync(join(APP, 'tsconfig.json'), 'utf8'));
  t.like(compilerOptions, { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', experimentalDecorators: true, emitDecoratorMetadata: true, useDefineForClassFields: false });
  t.true(existsSync(join(APP, '.gitignore')));
  t.true(existsSync(join(APP, 'dist', 'src', 'server.js')), 'npm run build compiled the app');
});

test.serial('the new app passes chat-migrate check from the start', async t => {
  t.timeout(300_000);
  await installApp();
  const check = await npm(['run', 'check']);
  t.is(check.code, 0, says(check));
  t.regex(check.stdout, /No problems: 2 migrations \(realtime_chat_messaging: 2, app: 0\)/);
  // The package's own migrations come with their declarations in the tarball: no compiler is loaded for them.
  const verbose = await run('npx', ['chat-migrate', 'check', '--no-cache', '--verbose'], APP);
  t.is(verbose.code, 0, says(verbose));
  t.regex(verbose.stderr, /read 2 migration files, parsed 2 \(0 with the TypeScript compiler/);
});

test.serial('the new app migrates, creates users with tokens, and serves /health, REST and WebSocket', async t => {
  t.timeout(300_000);
  await installApp();
  // Before the migrations, create-user says what to run instead of failing on a missing table.
  const early = await run('npm', ['run', '--silent', 'create-user', '--', 'alice'], APP, 240_000, ENV);
  t.is(early.code, 1, says(early));
  t.regex(early.stderr, /^create-user: 2 migration\(s\) not applied yet: run npm run migrate first$/m);
  const migrate = await npm(['run', 'migrate']);
  t.is(migrate.code, 0, says(migrate));
  t.regex(migrate.stdout, /2 migrations applied/);
  const [alice, bob] = await createUsers(ENV, 'alice', 'bob');
  t.is(alice!.username, 'alice');

  const app = await startApp();
  try {
    t.is(app.health.status, 200);
    t.deepEqual(await app.health.json(), { status: 'ok', database: 'ok' });
    const room = await oneToOne(app.url, alice!, bob!);
    const wsUrl = app.url.replace('http:', 'ws:');
    const bobSocket = await TestSocket.open(`${wsUrl}/messaging/?token=${bob!.token}`);
    const aliceSocket = await TestSocket.open(`${wsUrl}/messaging/?token=${alice!.token}`);
    try {
      aliceSocket.send({ event_type: 'message.send', data: { room_id: room.id, content: 'hello from a new app' } });
      const dispatched = await bobSocket.until(frame => frame.eventType === 'message.dispatch', 10_000, 'alice’s message at bob’s socket');
      t.is(dispatched.data.content, 'hello from a new app');
      t.is(dispatched.data.sender.username, 'alice');
    } finally {
      await aliceSocket.close();
      await bobSocket.close();
    }
    const history = await fetch(`${app.url}/api/chat/rooms/${room.id}/messages`, { headers: authorised(bob!.token) });
    t.is(history.status, 200);
    t.deepEqual(((await history.json()) as { results: { content: string }[] }).results.map(m => m.content), ['hello from a new app']);
  } finally {
    await app.stop();
  }
});

/** Uncomments the lines of `file` that `pattern` finds behind `// `. */
function uncomment(file: string, pattern: RegExp): void {
  const path = join(APP, file);
  const text = readFileSync(path, 'utf8');
  const edited = text.replace(new RegExp(`^(\\s*)// ?(${pattern.source})`, 'gm'), '$1$2');
  if (edited === text) throw new Error(`${file}: nothing to uncomment for ${pattern}`);
  writeFileSync(path, edited);
}

test.serial('the swap the template describes works as its steps say, on a fresh database', async t => {
  t.timeout(400_000);
  await installApp();
  // Steps 1 to 3: uncomment the model and serializer, list the entity, swap in the settings.
  const model = readFileSync(join(APP, 'src/models/custom-message.ts'), 'utf8');
  writeFileSync(join(APP, 'src/models/custom-message.ts'), model.replace('export {};\n', '').replace(/^\/\/ ?/gm, ''));
  uncomment('mikro-orm.config.ts', /import \{ CustomMessage \}/);
  writeFileSync(join(APP, 'mikro-orm.config.ts'), readFileSync(join(APP, 'mikro-orm.config.ts'), 'utf8').replace('[/* CustomMessage */]', '[CustomMessage]'));
  uncomment('src/settings.ts', /import \{ CustomMessage|models:|serializers:/);
  // Step 4, before the first migrate of this database.
  const env = { ...ENV, CHAT_DATA_DIR: '.data/swapped' };
  const created = await run('npm', ['run', 'migration:create'], APP, 240_000, env);
  t.is(created.code, 0, says(created));
  const broken = await npm(['run', 'check']);
  t.is(broken.code, 1, says(broken));
  t.regex(broken.stdout, /circular dependency: app\.Migration\d+ -> realtime_chat_messaging\.0002_initial -> swappable\(Message\) = app\.CustomMessage/);
  const fix = await run('npx', ['chat-migrate', 'fix'], APP);
  t.is(fix.code, 0, says(fix));
  const check = await npm(['run', 'check']);
  t.is(check.code, 0, says(check));
  const build = await npm(['run', 'build']);
  t.is(build.code, 0, says(build));
  const migrate = await run('npm', ['run', 'migrate'], APP, 240_000, env);
  t.is(migrate.code, 0, says(migrate));
  t.regex(migrate.stdout, /3 migrations applied/);
  const [alice, bob] = await createUsers(env, 'alice', 'bob');

  const app = await startApp(env);
  try {
    const room = await oneToOne(app.url, alice!, bob!);
    const sent = await fetch(`${app.url}/api/chat/rooms/${room.id}/messages`, { method: 'POST', headers: authorised(alice!.token), body: JSON.stringify({ content: 'urgent', priority: 'high' }) });
    t.is(sent.status, 201, await sent.clone().text());
    t.like(await sent.json(), { content: 'urgent', priority: 'high' });
  } finally {
    await app.stop();
  }
});

test('init refuses a folder that is not empty, naming it, and writes nothing', async t => {
  const dir = mkdtempSync(join(tmpdir(), 'chat-init-busy-'));
  try {
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    const init = await run(process.execPath, [INIT, 'init', dir], tmpdir());
    t.is(init.code, 1);
    t.regex(init.stderr, new RegExp(`${dir} is not empty \\(notes\\.txt\\): choose a new or empty folder`));
    t.deepEqual(readdirSync(dir), ['notes.txt']);
    t.deepEqual(readdirSync(tmpdir()).filter(name => name.startsWith(`.${dir.split('/').pop()}-`)), [], 'no staging folder is left behind');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('init writes into an empty folder that exists', async t => {
  const dir = mkdtempSync(join(tmpdir(), 'chat-init-empty-'));
  try {
    const init = await run(process.execPath, [INIT, 'init', dir, '--name', 'team-chat'], tmpdir());
    t.is(init.code, 0, says(init));
    t.is(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name, 'team-chat');
    t.true(existsSync(join(dir, 'src', 'models', 'custom-message.ts')));
    t.true(existsSync(join(dir, 'migrations')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('init --help explains the command; a wrong command line exits 2', async t => {
  const help = await run(process.execPath, [INIT, 'init', '--help'], tmpdir());
  t.is(help.code, 0);
  t.regex(help.stdout, /^Usage: realtime-chat-messaging init \[dir\]/);
  t.regex(help.stdout, /must be new or\nempty/);
  const top = await run(process.execPath, [INIT, '--help'], tmpdir());
  t.is(top.stdout, help.stdout);
  const wrong = await run(process.execPath, [INIT, 'init', '--bogus'], tmpdir());
  t.is(wrong.code, 2);
  t.regex(wrong.stderr, /unknown option '--bogus'/);
  const none = await run(process.execPath, [INIT], tmpdir());
  t.is(none.code, 2);
  t.regex(none.stderr, /a command is required: init/);
});
