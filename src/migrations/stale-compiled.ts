/**
 * Compiled migration modules that no longer match their TypeScript sources: built before a source
 * changed (`chat-migrate fix` repointed it, a migration was added or removed) and not rebuilt since.
 * The running app imports the compiled ones while `chat-migrate` reads the sources, so only this
 * comparison explains a graph problem that `check` does not see.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { ChatApp } from './apps.js';
import { isParseFailure, migrationNameOf, parseMigration } from './parse.js';
import { isTypeScriptMigration, listMigrationFiles } from './migration-files.js';
import { runtimeDir, sourceDir, type MigrationModule } from './runtime-project.js';
import { keyString, type DependencyRef } from './types.js';

/** One compiled migration out of step with its source. */
export interface StaleMigration {
  readonly app: string;
  readonly name: string;
  /** What differs, in a sentence fragment: "depends on …, its source on …". */
  readonly difference: string;
}

/** The apps' compiled folders and source folders that differ, with what is out of step in each. */
export interface StaleApp {
  readonly app: string;
  readonly compiledDir: string;
  readonly sourceDir: string;
  readonly migrations: readonly StaleMigration[];
}

function describe(dependencies: readonly string[]): string {
  return dependencies.length > 0 ? dependencies.join(', ') : 'nothing';
}

function refText(ref: DependencyRef): string {
  return ref.kind === 'migration' ? keyString(ref) : `swappable(${ref.token})`;
}

/** What the compiled class declares it depends on, as text. */
function compiledDependencies(module: MigrationModule): string[] {
  return (module.migration.dependencies ?? []).map(dep => (Array.isArray(dep) ? `${dep[0]}.${dep[1]}` : `swappable(${(dep as { token: string }).token})`)).sort();
}

/**
 * Compares each app's imported (compiled) migrations with its TypeScript sources, for apps whose
 * modules this process imports from another folder than the sources (`{ path, pathTs }`).
 */
export async function staleCompiledMigrations(apps: readonly ChatApp[], modules: readonly MigrationModule[], baseDir: string): Promise<StaleApp[]> {
  const out: StaleApp[] = [];
  let ts: typeof import('typescript') | undefined;
  for (const app of apps) {
    const compiledDir = runtimeDir(app, baseDir);
    const sources = sourceDir(app, baseDir);
    if (compiledDir === sources) continue;
    ts ??= (await import('typescript')).default;
    const compiled = new Map(modules.filter(m => m.app === app.label).map(m => [m.name, m]));
    const stale: StaleMigration[] = [];
    const sourceNames = new Set<string>();
    for (const file of listMigrationFiles(sources).filter(isTypeScriptMigration)) {
      const name = migrationNameOf(file);
      sourceNames.add(name);
      const module = compiled.get(name);
      if (!module) {
        stale.push({ app: app.label, name, difference: 'has a source and no compiled module' });
        continue;
      }
      const declared = parseMigration(ts, file, readFileSync(file, 'utf8'));
      if (isParseFailure(declared)) continue; // `chat-migrate check` reports it
      const fromSource = declared.dependencies.map(refText).sort();
      const fromModule = compiledDependencies(module);
      if (fromSource.join('\n') !== fromModule.join('\n')) {
        stale.push({ app: app.label, name, difference: `depends on ${describe(fromModule)} compiled, on ${describe(fromSource)} in its source` });
      }
    }
    for (const name of compiled.keys()) {
      if (!sourceNames.has(name)) stale.push({ app: app.label, name, difference: 'is compiled, and its source is gone' });
    }
    if (stale.length > 0) out.push({ app: app.label, compiledDir: relative(baseDir, compiledDir) || '.', sourceDir: relative(baseDir, sources) || '.', migrations: stale });
  }
  return out;
}
