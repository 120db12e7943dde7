/**
 * The project facts the tool needs (apps, folders, swaps), from a manifest cached next to the
 * declaration cache. The manifest is keyed on everything the facts depend on: every file the
 * config loaded keeps its content, the working folder (relative folders resolve against it), every
 * environment variable the config read keeps its value, and the package's version is the same;
 * otherwise the config is loaded again (the slow path, `config-loader.ts`, imported only then).
 * Its paths are relative to the config's folder, so a copy of the cache serves another checkout.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from './atomic-write.js';
import { sameEnv, trackEnvReads, type EnvReads } from './env-reads.js';
import { fingerprintOf, stillThere, type Fingerprint } from './file-fingerprint.js';
import { isInside, PACKAGE_MIGRATIONS_DIR } from './paths.js';
import type { ProjectFacts } from './project.js';
import { PACKAGE_APP } from './types.js';

const MANIFEST_VERSION = 5;

interface Manifest {
  version: number;
  packageVersion: string;
  /** The working folder, from the config's folder. */
  cwd: string;
  env: EnvReads;
  /** Files from the config's folder (absolute when outside it: they do not move with a checkout). */
  inputs: ({ file: string } & Fingerprint)[];
  /** With every path inside the config's folder relative to it; the package's own folder is this installation's. */
  facts: ProjectFacts;
  /** The config's folder, when an app's folder lies outside it: the facts then hold only there. */
  anchoredAt?: string;
}

/** The facts read, and whether they came from the cache. */
export interface ReadFacts {
  readonly facts: ProjectFacts;
  readonly fromCache: boolean;
}

let knownVersion: string | undefined;

/** The installed package's version (caches written by another version are not trusted). */
export function packageVersion(): string {
  knownVersion ??= readPackageVersion();
  return knownVersion;
}

function readPackageVersion(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); dirname(dir) !== dir; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (pkg.name === 'realtime-chat-messaging') return pkg.version ?? '0';
  }
  return '0';
}

/** The facts with each path moved by `move` (for the manifest, and back); the package's folder is always this installation's. */
function movePaths(facts: ProjectFacts, move: (path: string) => string): ProjectFacts {
  return {
    ...facts,
    root: move(facts.root),
    configFile: move(facts.configFile),
    apps: facts.apps.map(app =>
      app.label === PACKAGE_APP ? { ...app, dir: PACKAGE_MIGRATIONS_DIR } : { ...app, dir: move(app.dir), ...(app.compiledDir ? { compiledDir: move(app.compiledDir) } : {}) },
    ),
  };
}

/** A path as the manifest keeps it: relative to the config's folder inside it, absolute outside. */
const fromDir = (dir: string) => (path: string) => (isInside(dir, path) ? relative(dir, path) || '.' : path);
const inDir = (dir: string) => (path: string) => resolve(dir, path);

/** Whether an app's folder lies outside the config's folder (its place does not move with a checkout, or does: only the config knows). */
function outsideFolders(facts: ProjectFacts): boolean {
  return facts.apps.some(app => app.label !== PACKAGE_APP && [app.dir, app.compiledDir].some(dir => dir !== undefined && !isInside(facts.root, dir)));
}

/** Whether the manifest still describes the project; `fresh` collects its inputs with their current times. */
function stillValid(manifest: Manifest, version: string, root: string, fresh: Manifest['inputs']): boolean {
  if (manifest.version !== MANIFEST_VERSION || manifest.packageVersion !== version) return false;
  if (resolve(root, manifest.cwd) !== process.cwd() || !sameEnv(manifest.env)) return false;
  if (manifest.anchoredAt !== undefined && manifest.anchoredAt !== root) return false;
  for (const input of manifest.inputs) {
    const now = stillThere(resolve(root, input.file), input);
    if (!now) return false;
    fresh.push({ ...now, file: input.file });
  }
  return true;
}

function writeManifest(manifestFile: string, manifest: Manifest): void {
  try {
    writeFileAtomic(manifestFile, JSON.stringify(manifest));
  } catch {
    // A manifest that cannot be written only costs time.
  }
}

/** The facts of the project of `configFile`; `manifestFile` undefined disables the cache. */
export async function projectFacts(configFile: string, manifestFile: string | undefined): Promise<ReadFacts> {
  const version = packageVersion();
  const root = dirname(configFile);
  if (manifestFile) {
    try {
      const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Manifest;
      const fresh: Manifest['inputs'] = [];
      if (stillValid(manifest, version, root, fresh)) {
        // Another checkout's times are remembered, so the next run needs no hashing.
        if (fresh.some((input, i) => input.mtimeMs !== manifest.inputs[i]!.mtimeMs)) writeManifest(manifestFile, { ...manifest, inputs: fresh });
        return { facts: movePaths(manifest.facts, inDir(root)), fromCache: true };
      }
    } catch {
      // no manifest yet, or unreadable: load the config
    }
  }
  // The config is needed: the compiler a TypeScript config needs starts compiling before the loader's own imports.
  (await import('./typescript-warmup.js')).warmUpTypeScript(configFile);
  const { loadConfig } = await import('./config-loader.js');
  const {
    result: { facts, inputs },
    reads,
  } = await trackEnvReads(() => loadConfig(configFile));
  if (manifestFile) {
    writeManifest(manifestFile, {
      version: MANIFEST_VERSION,
      packageVersion: version,
      cwd: fromDir(root)(process.cwd()),
      env: reads,
      inputs: inputs.filter(existsSync).map(file => ({ file: fromDir(root)(file), ...fingerprintOf(statSync(file), readFileSync(file)) })),
      facts: movePaths(facts, fromDir(root)),
      ...(outsideFolders(facts) ? { anchoredAt: root } : {}),
    });
  }
  return { facts, fromCache: false };
}
