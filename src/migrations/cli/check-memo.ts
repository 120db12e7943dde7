/**
 * `check` answers a project it has checked before, unchanged, with its last report. The report is
 * remembered beside the other caches with a digest of everything it was computed from: the
 * project's facts, which app folders are missing, every migration file's path, size and
 * modification time, and the package's version. A warm check then lists and stats the files and
 * reads nothing else; any change (a file edited, added, removed or touched, other facts) gives
 * another digest and a full check, whose report is remembered in turn.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../atomic-write.js';
import { packageVersion } from '../project-facts.js';
import type { Output } from './output.js';
import type { ProjectFiles } from './project-files.js';

const MEMO_VERSION = 1;
const FILE = 'check.json';
/**
 * A file changed this close before it was listed may change again within the same timestamp
 * (file times advance by the clock's tick), which its time would not tell: the report is then not
 * remembered. A time in whole seconds may come from a file system that keeps no more (FAT keeps
 * two): such a file must be older than that.
 */
const RACY_MS = 100;
const COARSE_RACY_MS = 2000;

function racy(mtimeMs: number, listedAt: number): boolean {
  return mtimeMs >= listedAt - (mtimeMs % 1000 === 0 ? COARSE_RACY_MS : RACY_MS);
}

/** What `check` printed, and its exit code. */
export interface CheckReport {
  readonly code: number;
  /** Each line, and whether it went to stderr. */
  readonly lines: readonly (readonly [err: boolean, text: string])[];
}

interface Memo extends CheckReport {
  readonly version: number;
  readonly digest: string;
}

/** The digest of what a check of `project` is computed from. */
export function checkDigest(project: ProjectFiles): string {
  const hash = createHash('sha1');
  hash.update(`${MEMO_VERSION}\n${packageVersion()}\n${JSON.stringify(project.facts)}\n${[...project.missing].sort().join(',')}\n`);
  for (const file of project.listing) hash.update(`${file.key}\0${file.size}\0${file.mtimeMs}\n`);
  return hash.digest('hex');
}

/** The report remembered for `digest` in the cache folder `dir`, if any. */
export function rememberedReport(dir: string, digest: string): CheckReport | undefined {
  try {
    const memo = JSON.parse(readFileSync(join(dir, FILE), 'utf8')) as Memo;
    return memo.version === MEMO_VERSION && memo.digest === digest ? memo : undefined;
  } catch {
    return undefined; // none yet, or unreadable: check
  }
}

/** Remembers the report of a check of `project` (unless a file was changed too recently to be told apart by its time). */
export function rememberReport(project: ProjectFiles, digest: string, report: CheckReport): void {
  if (!project.cacheDir || project.listing.some(file => racy(file.mtimeMs, project.listedAt))) return;
  try {
    writeFileAtomic(join(project.cacheDir, FILE), JSON.stringify({ version: MEMO_VERSION, digest, code: report.code, lines: report.lines } satisfies Memo));
  } catch {
    // A report that cannot be remembered only costs time.
  }
}

/** An output that also records what goes through it. */
export function recordingOutput(io: Output): { io: Output; lines: [err: boolean, text: string][] } {
  const lines: [boolean, string][] = [];
  return {
    lines,
    io: {
      out: text => (lines.push([false, text]), io.out(text)),
      err: text => (lines.push([true, text]), io.err(text)),
    },
  };
}

/** Prints a remembered report; returns its exit code. */
export function replay(report: CheckReport, io: Output): number {
  for (const [err, text] of report.lines) (err ? io.err : io.out)(text);
  return report.code;
}
