/** How check summarises a project: every app's count for a few apps, a summary for many. */
import test from 'ava';
import { describeApps } from '../src/migrations/cli/report.js';
import { buildGraph } from '../src/migrations/loader.js';
import type { ProjectFacts } from '../src/migrations/project.js';
import { declare } from './helpers/declarations.js';

function project(appCount: number) {
  const labels = Array.from({ length: appCount }, (_, i) => `app${String(i).padStart(4, '0')}`);
  const facts: ProjectFacts = {
    root: '/project',
    configFile: '/project/mikro-orm.config.ts',
    apps: labels.map(label => ({ label, dir: `/project/${label}` })),
    swaps: {},
    firstMigrationTables: [],
    secondMigrationNames: [],
  };
  const files = labels.flatMap(label => [
    { folderApp: label, result: declare(`${label}.0001`) },
    { folderApp: label, result: declare(`${label}.0002`, [`${label}.0001`]) },
  ]);
  return { facts, factsFromCache: true, stats: { files: 0, parsed: 0, compiled: 0 }, ...buildGraph(facts, files) };
}

test('a few apps are each listed with their count', t => {
  t.is(describeApps(project(3)), 'app0000: 2, app0001: 2, app0002: 2');
});

test('past eight apps, the summary gives the totals and the first eight, not a line of 2,000 counts', t => {
  const line = describeApps(project(2000));
  t.is(line, '4,000 migrations in 2,000 apps: app0000: 2, app0001: 2, app0002: 2, app0003: 2, app0004: 2, app0005: 2, app0006: 2, app0007: 2, … and 1,992 more');
});
