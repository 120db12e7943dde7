/**
 * The project facts the tool needs (apps, folders, swaps), from a manifest cached next to the
 * declaration cache. The manifest is keyed on everything the facts depend on: every file the
 * config loaded keeps its size and modification time, the working folder (relative folders
 * resolve against it), every environment variable the config read keeps its value, and the
 * package's version is the same; otherwise the config is loaded again (the slow path,
 * `config-loader.ts`, imported only then).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from './atomic-write.js';
import { sameEnv, trackEnvReads, type EnvReads } from './env-reads.js';
import type { ProjectFacts } from './project.js';

const MANIFEST_VERSION = 3;

interface Manifest {
  version: number;
  packageVersion: string;
  cwd: string;
  env: EnvReads;
  inputs: { file: string; size: number; mtimeMs: number }[];
  facts: ProjectFacts;
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

function stillValid(manifest: Manifest, version: string): boolean {
  if (manifest.version !== MANIFEST_VERSION || manifest.packageVersion !== version) return false;
  if (manifest.cwd !== process.cwd() || !sameEnv(manifest.env)) return false;
  for (const input of manifest.inputs) {
    try {
      const stat = statSync(input.file);
      if (stat.size !== input.size || stat.mtimeMs !== input.mtimeMs) return false;
    } catch {
      return false;
    }
  }
  return true;
}

/** The facts of the project of `configFile`; `manifestFile` undefined disables the cache. */
export async function projectFacts(configFile: string, manifestFile: string | undefined): Promise<ProjectFacts> {
  const version = packageVersion();
  if (manifestFile) {
    try {
      const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Manifest;
      if (stillValid(manifest, version)) return manifest.facts;
    } catch {
      // no manifest yet, or unreadable: load the config
    }
  }
  const { loadConfig } = await import('./config-loader.js');
  const {
    result: { facts, inputs },
    reads,
  } = await trackEnvReads(() => loadConfig(configFile));
  if (manifestFile) {
    const manifest: Manifest = {
      version: MANIFEST_VERSION,
      packageVersion: version,
      cwd: process.cwd(),
      env: reads,
      inputs: inputs.filter(existsSync).map(file => {
        const stat = statSync(file);
        return { file, size: stat.size, mtimeMs: stat.mtimeMs };
      }),
      facts,
    };
    try {
      writeFileAtomic(manifestFile, JSON.stringify(manifest));
    } catch {
      // A manifest that cannot be written only costs time.
    }
  }
  return facts;
}
