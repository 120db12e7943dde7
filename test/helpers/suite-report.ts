/** What `npm test` says and tidies after ava: the suites skipped for want of a tool, and the scratch folder emptied. */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** Something some suites need: they read `flag` (exported by a helper) to skip without it. */
export interface Requirement {
  readonly flag: string;
  readonly available: boolean;
  /** What is missing, for the report: "Chromium (none at …)". */
  readonly missing: string;
}

/** The compiled suites (`*.test.js` of `testsDir`) that read `flag`, by name, sorted. */
export function suitesReading(testsDir: string, flag: string): string[] {
  return readdirSync(testsDir)
    .filter(file => file.endsWith('.test.js') && readFileSync(join(testsDir, file), 'utf8').includes(flag))
    .map(file => file.replace(/\.js$/, ''))
    .sort();
}

/** One line per missing requirement naming the suites it skipped, or one line saying every suite ran. */
export function skippedSuitesReport(testsDir: string, requirements: readonly Requirement[]): string[] {
  const missing = requirements.filter(requirement => !requirement.available);
  if (missing.length === 0) return ['No suite was skipped for want of a tool: Chromium and redis-server are installed.'];
  return missing.map(requirement => `Skipped for want of ${requirement.missing}: ${suitesReading(testsDir, requirement.flag).join(', ') || 'no suite'}.`);
}

/** Removes everything in `dir` but the entries named in `kept`. */
export function emptyScratch(dir: string, kept: ReadonlySet<string>): void {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir)) {
    if (!kept.has(entry)) rmSync(join(dir, entry), { recursive: true, force: true });
  }
}
