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

function run(command: string, args: readonly string[], cwd: string, timeout = 240_000): Promise<Run> {
  return new Promise(done => {
    execFile(command, args, { cwd, env: ENV, timeout, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      done({ code, stdout: stdout.toString(), stderr: stderr.toString() });
    });
  });
}

const npm = (args: readonly string[], cwd = APP) => run('npm', args, cwd);
const says = (r: Run) => `exit ${r.code}\n${r.stdout}\n${r.stderr}`;

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
});

test.serial('the new app migrates, creates users with tokens, and serves /health, REST and WebSocket', async t => {
  t.timeout(300_000);
  await installApp();
  const migrate = await npm(['run', 'migrate']);
  t.is(migrate.code, 0, says(migrate));
  t.regex(migrate.stdout, /2 migrations applied/);
  const created = await npm(['run', '--silent', 'create-user', '--', 'alice', 'bob']);
  t.is(created.code, 0, says(created));
  const [alice, bob] = created.stdout.trim().split('\n').map(line => JSON.parse(line) as { id: string; username: string; token: string });
  if (!alice || !bob) return t.fail(says(created));
  t.is(alice.username, 'alice');

  const port = await freePort();
  const server: ChildProcess = spawn('npm', ['start'], { cwd: APP, env: { ...ENV, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  server.stdout!.on('data', chunk => (output += chunk));
  server.stderr!.on('data', chunk => (output += chunk));
  const base = `http://127.0.0.1:${port}`;
  try {
    let health: Response | undefined;
    for (let i = 0; i < 600 && !health; i++) {
      health = await fetch(`${base}/health`).catch(() => undefined);
      if (!health) await new Promise(done => setTimeout(done, 100));
    }
    t.truthy(health, `the server did not answer: ${output}`);
    t.deepEqual(await health!.json(), { status: 'ok', database: 'ok' });

    const auth = (token: string) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });
    const createdRoom = await fetch(`${base}/api/chat/rooms`, { method: 'POST', headers: auth(alice.token), body: JSON.stringify({ type: 'OneToOneChat', participants: [bob.id] }) });
    t.is(createdRoom.status, 201, await createdRoom.clone().text());
    const room = (await createdRoom.json()) as { id: string };

    const bobSocket = await TestSocket.open(`ws://127.0.0.1:${port}/messaging/?token=${bob.token}`);
    const aliceSocket = await TestSocket.open(`ws://127.0.0.1:${port}/messaging/?token=${alice.token}`);
    try {
      aliceSocket.send({ event_type: 'message.send', data: { room_id: room.id, content: 'hello from a new app' } });
      const dispatched = await bobSocket.until(frame => frame.eventType === 'message.dispatch', 10_000, 'alice’s message at bob’s socket');
      t.is(dispatched.data.content, 'hello from a new app');
      t.is(dispatched.data.sender.username, 'alice');
    } finally {
      await aliceSocket.close();
      await bobSocket.close();
    }
    const history = await fetch(`${base}/api/chat/rooms/${room.id}/messages`, { headers: auth(bob.token) });
    t.is(history.status, 200);
    t.deepEqual(((await history.json()) as { results: { content: string }[] }).results.map(m => m.content), ['hello from a new app']);
  } finally {
    // npm start runs node in a child: end the whole group.
    if (server.pid) process.kill(-server.pid, 'SIGTERM');
    await new Promise(done => server.once('exit', done));
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
