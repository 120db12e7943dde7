/**
 * Writes a new application from the package's template (`templates/app`): its files as they are,
 * its package.json with the versions this package is built and tested with.
 */
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ChatError } from '../errors/chat-error.js';

/** The package's root folder (dist/src/scaffold → root, as in the repository). */
const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** The folder of the application template. */
export const APP_TEMPLATE_DIR = join(PACKAGE_ROOT, 'templates', 'app');

/** Template files whose name npm would not ship as is, and the name they get in the new app. */
const RENAMED: Readonly<Record<string, string>> = { gitignore: '.gitignore' };

/** Options of `scaffoldApp`. */
export interface ScaffoldOptions {
  /** The app's package name (default: the folder's name, made a valid one). */
  readonly name?: string;
  /**
   * How the app's package.json names this package: a version range (default `^<this version>`),
   * a git URL, or a tarball path (relative to the current folder; written relative to the app).
   */
  readonly packageSpec?: string;
}

/** Why an app could not be written. */
export class ScaffoldError extends ChatError {
  /** The target folder holds files already. */
  static directoryNotEmpty(dir: string, entries: readonly string[]): ScaffoldError {
    const shown = entries.slice(0, 5).join(', ') + (entries.length > 5 ? ', …' : '');
    return new ScaffoldError('directory_not_empty', `${dir} is not empty (${shown}): choose a new or empty folder, e.g. realtime-chat-messaging init my-chat`, { dir, entries });
  }

  /** The target is a file. */
  static notADirectory(dir: string): ScaffoldError {
    return new ScaffoldError('not_a_directory', `${dir} is a file, not a folder: choose a new or empty folder`, { dir });
  }
}

interface PackageJson {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

function readPackageJson(file: string): PackageJson {
  return JSON.parse(readFileSync(file, 'utf8')) as PackageJson;
}

/** A valid npm package name from a folder name. */
export function packageNameOf(folder: string): string {
  const name = folder
    .toLowerCase()
    .replace(/[^a-z0-9._~-]+/g, '-')
    .replace(/^[._-]+/, '')
    .replace(/-+$/, '');
  return name || 'my-chat';
}

/** The spec of this package the app's package.json gets: paths to a tarball or folder are made relative to the app. */
function dependencySpec(spec: string | undefined, version: string, appDir: string): string {
  if (!spec) return `^${version}`;
  const path = spec.startsWith('file:') ? spec.slice('file:'.length) : spec;
  const looksLikePath = spec.startsWith('file:') || /^\.{0,2}\//.test(spec) || /\.(tgz|tar\.gz)$/.test(spec);
  if (!looksLikePath) return spec;
  const absolute = isAbsolute(path) ? path : resolve(path);
  if (!existsSync(absolute)) throw new ScaffoldError('package_not_found', `--package ${spec}: no such file or folder`, { spec });
  return `file:${relative(appDir, absolute) || '.'}`;
}

/**
 * The app's package.json: the template's, with its name, this package's spec, and every `"*"`
 * filled with the version this package pins (so the app installs what the tests ran).
 */
export function appPackageJson(template: PackageJson, own: PackageJson, name: string, spec: string): PackageJson {
  const pins: Record<string, string> = { ...own.dependencies, ...own.devDependencies };
  const fill = (deps: Record<string, string> | undefined) =>
    deps &&
    Object.fromEntries(
      Object.entries(deps).map(([dep, range]) => {
        if (dep === own.name) return [dep, spec];
        if (range !== '*') return [dep, range];
        const pin = pins[dep];
        if (!pin) throw new ScaffoldError('template_error', `the template's package.json asks for ${dep} at the package's version, which it does not pin`);
        return [dep, pin];
      }),
    );
  return { ...template, name, dependencies: fill(template.dependencies), devDependencies: fill(template.devDependencies) };
}

/** The files a folder holds, visible or not. */
function entriesOf(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

/**
 * Writes a new app into `dir`, which must not exist or be empty. The files appear all at once:
 * they are written to a sibling folder that is then renamed over the target.
 */
export function scaffoldApp(dir: string, options: ScaffoldOptions = {}): { dir: string; files: string[] } {
  const target = resolve(dir);
  if (existsSync(target) && !statSync(target).isDirectory()) throw ScaffoldError.notADirectory(target);
  const existing = entriesOf(target);
  if (existing.length > 0) throw ScaffoldError.directoryNotEmpty(target, existing);
  const own = readPackageJson(join(PACKAGE_ROOT, 'package.json'));
  const template = readPackageJson(join(APP_TEMPLATE_DIR, 'package.json'));
  const manifest = appPackageJson(template, own, options.name ?? packageNameOf(basename(target)), dependencySpec(options.packageSpec, own.version, target));

  mkdirSync(dirname(target), { recursive: true });
  const staging = mkdtempSync(join(dirname(target), `.${basename(target)}-`));
  try {
    chmodSync(staging, 0o755); // mkdtemp makes it private
    cpSync(APP_TEMPLATE_DIR, staging, { recursive: true });
    for (const [from, to] of Object.entries(RENAMED)) {
      if (existsSync(join(staging, from))) renameSync(join(staging, from), join(staging, to));
    }
    writeFileSync(join(staging, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    // rename(2) replaces an empty folder, so an existing empty target works too.
    renameSync(staging, target);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  const files = readdirSync(target, { recursive: true, encoding: 'utf8' })
    .filter(file => statSync(join(target, file)).isFile())
    .sort();
  return { dir: target, files };
}
