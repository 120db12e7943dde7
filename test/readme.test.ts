/**
 * Every code block of README.md is exercised, so the guide cannot drift from the code. A block
 * says how with the comment line before it (`<!-- readme-test: … -->`), or is checked by its kind:
 *
 * - `run` (TypeScript): compiled and run as a program; it must serve the REST API and the WebSocket server;
 * - `typecheck as <file>` (TypeScript, the default): type-checked with the others as files of one folder;
 * - `same-as <path>`: each of its lines appears, in order, in that file of the repository (which tests use);
 * - `output-of chat-migrate <args> in <fixture>`: what the command prints in a copy of the fixture;
 * - `sh` blocks: each command is a script of package.json or a command of the CLIs with that name
 *   (`in-app`: a script of the app `init` writes, templates/app/package.json);
 * - `json` blocks: valid JSON; `subset-of <path>…`: each key and value it shows is in each of those JSON files.
 */
import test from 'ava';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import ts from 'typescript';
import { createTestDatabase } from './helpers/database.js';
import { freePort } from './helpers/free-port.js';
import { copyProject, ROOT } from './helpers/project.js';
import { TestSocket } from './helpers/ws-client.js';

interface Block {
  readonly line: number;
  readonly lang: string;
  readonly code: string;
  readonly directive: string | undefined;
}

function blocks(markdown: string): Block[] {
  const lines = markdown.split('\n');
  const out: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)\s*$/.exec(lines[i]!);
    if (!open) continue;
    const end = lines.indexOf('```', i + 1);
    if (end < 0) throw new Error(`README.md:${i + 1}: a code block is never closed`);
    const directive = /^<!-- readme-test: (.*) -->$/.exec(lines[i - 1] ?? '')?.[1];
    out.push({ line: i + 1, lang: open[1]!, code: lines.slice(i + 1, end).join('\n'), directive });
    i = end;
  }
  return out;
}

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const BLOCKS = blocks(README);
interface Manifest {
  name: string;
  version: string;
  type?: string;
  exports: Record<string, Record<string, string>>;
  bin: Record<string, string>;
  files: string[];
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
}
const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Manifest;
const APP_PACKAGE = JSON.parse(readFileSync(join(ROOT, 'templates', 'app', 'package.json'), 'utf8')) as Manifest;
const where = (block: Block) => `README.md:${block.line} (${block.lang || 'text'})`;

function kind(block: Block): string {
  if (block.directive) return block.directive.split(' ')[0]!;
  if (block.lang === 'ts') return 'typecheck';
  if (block.lang === 'sh' || block.lang === 'json') return block.lang;
  return 'none';
}

test('every block of the README is exercised by one of the checks', t => {
  t.true(BLOCKS.length >= 12);
  for (const block of BLOCKS) t.not(kind(block), 'none', `${where(block)} has no check: add a readme-test comment`);
});

test('the TypeScript blocks type-check against the package', t => {
  const dir = join(ROOT, '.tmp', `readme-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  try {
    const files = new Map<string, Block>();
    BLOCKS.filter(block => block.lang === 'ts' && ['typecheck', 'run'].includes(kind(block))).forEach((block, i) => {
      const name = /^typecheck as (\S+)$/.exec(block.directive ?? '')?.[1] ?? `block-${i}.ts`;
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), block.code);
      files.set(join(dir, name), block);
    });
    const config = ts.getParsedCommandLineOfConfigFile(join(ROOT, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })!;
    const program = ts.createProgram([...files.keys()], { ...config.options, noEmit: true, declaration: false, sourceMap: false });
    const problems = ts
      .getPreEmitDiagnostics(program)
      .filter(d => d.file && files.has(d.file.fileName))
      .map(d => {
        const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
        const block = files.get(d.file!.fileName)!;
        return `README.md:${block.line + 1 + line}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
      });
    t.deepEqual(problems, []);
    t.true(files.size >= 8);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the blocks that show a file of the repository match it, line for line', t => {
  const sameAs = BLOCKS.filter(block => kind(block) === 'same-as');
  t.true(sameAs.length >= 2);
  for (const block of sameAs) {
    const path = block.directive!.split(' ')[1]!;
    const file = readFileSync(join(ROOT, path), 'utf8').split('\n').map(l => l.trim());
    let at = 0;
    for (const line of block.code.split('\n').map(l => l.trim())) {
      if (line === '' || line.startsWith('//')) continue;
      const found = file.indexOf(line, at);
      t.true(found >= 0, `${where(block)}: "${line}" is not in ${path} (after line ${at})`);
      if (found >= 0) at = found + 1;
    }
  }
});

test('the shell blocks only run scripts and commands that exist', t => {
  const commands = BLOCKS.filter(block => block.lang === 'sh').flatMap(block =>
    block.code
      .split('\n')
      .map(line => line.replace(/#.*$/, '').trim())
      .filter(Boolean)
      .flatMap(line => line.split('&&').map(command => ({ block, command: command.trim() }))),
  );
  t.true(commands.length >= 6);
  for (const { block, command } of commands) {
    const words = command.split(/\s+/);
    const scripts = block.directive === 'in-app' ? APP_PACKAGE.scripts : PACKAGE.scripts;
    if (words[0] === 'npm' && words[1] === 'install') {
      // Packages a user installs beside ours: ones we depend on, at the version we pin; ours by name, git URL or tarball.
      const versions: Record<string, string> = { ...PACKAGE.dependencies, ...PACKAGE.devDependencies };
      for (const spec of words.slice(2).filter(word => !word.startsWith('-'))) {
        if (spec.startsWith('git+')) {
          t.regex(spec, /\/realtime-chat-messaging(\.git)?$/, `${where(block)}: ${spec}`);
          continue;
        }
        if (spec.endsWith('.tgz')) {
          t.true(spec.endsWith(`${PACKAGE.name}-${PACKAGE.version}.tgz`), `${where(block)}: ${spec} is not what npm pack writes`);
          continue;
        }
        const at = spec.lastIndexOf('@');
        const [name, version] = at > 0 ? [spec.slice(0, at), spec.slice(at + 1)] : [spec, undefined];
        if (name === PACKAGE.name) continue;
        t.truthy(versions[name], `${where(block)}: ${name} is not a package we depend on`);
        if (version) t.is(version, versions[name], `${where(block)}: ${name}@${version}, but package.json pins ${versions[name]}`);
      }
      continue;
    }
    if (words[0] === 'npm' && ['ci', 'pack'].includes(words[1]!)) continue;
    if (words[0] === 'cd') continue;
    if (words[0] === 'npm' && ['start', 'test'].includes(words[1]!)) {
      t.truthy(scripts[words[1]!], `${where(block)}: ${command}`);
    } else if (words[0] === 'npm' && words[1] === 'run') {
      t.truthy(scripts[words[2]!], `${where(block)}: ${command}`);
    } else if (words[0] === 'npx' && words[1] === 'chat-migrate') {
      const help = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli', 'chat-migrate.js'), words[2]!, '--help'], { encoding: 'utf8' });
      t.is(help.status, 0, `${where(block)}: ${command}: ${help.stderr}`);
    } else if (words[0] === 'npx' && words[1] === 'mikro-orm-esm') {
      const help = spawnSync(process.execPath, [join(ROOT, 'node_modules', '@mikro-orm', 'cli', 'esm'), words[2]!, '--help'], { encoding: 'utf8', cwd: ROOT });
      t.is(help.status, 0, `${where(block)}: ${command}: ${help.stderr}`);
    } else if (words[0] === 'npx' && words.includes(PACKAGE.name)) {
      // `npx [--package <spec>] realtime-chat-messaging init …`: the bin of that name, with options it knows.
      t.is(PACKAGE.bin[PACKAGE.name], './dist/cli/init.js', `${where(block)}: ${command}`);
      const args = words.slice(words.indexOf(PACKAGE.name) + 1);
      const options = args.filter(word => word.startsWith('-'));
      const help = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli', 'init.js'), ...args.slice(0, 1), '--help'], { encoding: 'utf8' });
      t.is(help.status, 0, `${where(block)}: ${command}: ${help.stderr}`);
      for (const option of options) t.true(help.stdout.includes(`${option} `), `${where(block)}: init has no option ${option}`);
    } else {
      t.fail(`${where(block)}: no check knows the command "${command}"`);
    }
  }
});

/** Whether every key and value of `shown` is in `actual`. */
function isSubset(shown: unknown, actual: unknown): boolean {
  if (shown === null || typeof shown !== 'object') return shown === actual;
  if (actual === null || typeof actual !== 'object') return false;
  return Object.entries(shown).every(([key, value]) => isSubset(value, (actual as Record<string, unknown>)[key]));
}

test('the JSON blocks that show part of a file of the repository are in it', t => {
  const subsets = BLOCKS.filter(block => kind(block) === 'subset-of');
  t.true(subsets.length >= 2);
  for (const block of subsets) {
    for (const path of block.directive!.split(' ').slice(1)) {
      t.true(isSubset(JSON.parse(block.code), JSON.parse(readFileSync(join(ROOT, path), 'utf8'))), `${where(block)} is not in ${path}`);
    }
  }
});

test('the package is what the README says: ES modules only, peers also in development, the bins executable after a build', t => {
  t.is(PACKAGE.type, 'module');
  for (const [entry, targets] of Object.entries(PACKAGE.exports)) t.deepEqual(Object.keys(targets).sort(), ['import', 'types'], `${entry}: no CommonJS entry`);
  t.regex(README, /from 'realtime-chat-messaging\/migrator'/, 'the second entry is documented');
  t.regex(README, /ES modules only/);
  t.regex(README, /top-level `await`/);
  // Every peer is installed for the repository's own build, at a version inside the range it declares.
  for (const [name, range] of Object.entries(PACKAGE.peerDependencies)) {
    t.is(range, `^${PACKAGE.devDependencies[name]}`, `${name}: the peer range starts at the version the repository tests`);
    t.false(name in PACKAGE.dependencies, `${name} is a peer, not a dependency`);
    t.regex(README, new RegExp(`"${name.replace('/', '\\/')}": "\\${range}"`), `the README lists the peer ${name}`);
  }
  // A git install builds through prepare, and the build leaves every bin executable.
  t.regex(PACKAGE.scripts.prepare!, /npm run build/);
  t.regex(PACKAGE.scripts.postbuild!, /executable-bins/);
  t.true(PACKAGE.files.includes('templates'), 'init needs its templates in the package');
  for (const [bin, file] of Object.entries(PACKAGE.bin)) {
    t.true((statSync(join(ROOT, file)).mode & 0o111) !== 0, `${bin} (${file}) is not executable after npm run build`);
  }
  // npm start and a restart reuse what the last build compiled.
  const tsconfig = JSON.parse(readFileSync(join(ROOT, 'tsconfig.json'), 'utf8')) as { compilerOptions: Record<string, unknown> };
  t.is(tsconfig.compilerOptions.incremental, true);
});

test('the JSON blocks are valid JSON', t => {
  const json = BLOCKS.filter(block => block.lang === 'json');
  t.true(json.length >= 2);
  for (const block of json) t.notThrows(() => JSON.parse(block.code), where(block));
});

test('the command output blocks are what the command prints', async t => {
  for (const block of BLOCKS.filter(b => kind(b) === 'output-of')) {
    const [, , ...rest] = block.directive!.split(' ');
    const at = rest.indexOf('in');
    const project = await copyProject(rest[at + 1]!);
    try {
      const run = await project.chatMigrate(...rest.slice(0, at));
      const printed = (run.stdout + run.stderr).trim().replace(/\S*\/(0002_initial\.js)/g, '…/$1');
      t.is(printed, block.code.trim(), where(block));
    } finally {
      await project.remove();
    }
  }
});

test('the mounting example runs: the REST API and the WebSocket server answer on its port', async t => {
  const block = BLOCKS.find(b => kind(b) === 'run');
  if (!block) return t.fail('no runnable block');
  const dir = join(ROOT, '.tmp', `readme-run-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'server.mjs');
  writeFileSync(file, ts.transpileModule(block.code, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText);
  const port = await freePort();
  // Its own database: DATABASE_URL names the server's shared one, which other runs may be migrating.
  const database = await createTestDatabase();
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port) };
  if (database.target.url) env.DATABASE_URL = database.target.url;
  const child = spawn(process.execPath, [file], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', chunk => (output += chunk));
  child.stderr!.on('data', chunk => (output += chunk));
  try {
    let rooms: Response | undefined;
    // Up to a minute: PGlite and the migrations start slowly on a loaded machine.
    for (let i = 0; i < 600 && !rooms; i++) {
      rooms = await fetch(`http://127.0.0.1:${port}/api/chat/rooms`).catch(() => undefined);
      if (!rooms) await new Promise(done => setTimeout(done, 100));
    }
    t.truthy(rooms, output);
    t.is(rooms!.status, 401);
    t.is(((await rooms!.json()) as any).error.code, 'unauthenticated');
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    t.is(health.status, 200);
    t.deepEqual(await health.json(), { status: 'ok', database: 'ok' });
    const refused = await t.throwsAsync(() => TestSocket.open(`ws://127.0.0.1:${port}/messaging/`));
    t.is((refused as { status?: number }).status, 401);
  } finally {
    child.kill();
    await new Promise(done => (child.exitCode === null ? child.once('exit', done) : done(undefined)));
    rmSync(dir, { recursive: true, force: true });
    await database.drop();
  }
});
