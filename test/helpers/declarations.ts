/** Migration declarations written in a line each, for graph tests that need no files. */
import { sqlFactsOf } from '../../src/migrations/sql-facts.js';
import type { DependencyRef, MigrationDeclaration } from '../../src/migrations/types.js';
import type { SwapToken } from '../../src/index.js';

/** `declare('myapp.0001', ['rcm.0002'], { swappable: ['User'], sql: [...] })` */
export function declare(
  key: string,
  dependsOn: string[] = [],
  options: { swappable?: SwapToken[]; sql?: string[]; dynamic?: boolean } = {},
): MigrationDeclaration {
  const [app, name] = key.split('.') as [string, string];
  const file = `/project/${app}/${name}.ts`;
  const at = { file, line: 1 };
  const dependencies: DependencyRef[] = [
    ...dependsOn.map(dep => {
      const [depApp, depName] = dep.split('.') as [string, string];
      return { kind: 'migration' as const, app: depApp, name: depName, at, nameSpan: { start: 0, end: 0 } };
    }),
    ...(options.swappable ?? []).map(token => ({ kind: 'swappable' as const, token, at })),
  ];
  return {
    app,
    name,
    file,
    className: name,
    appAt: at,
    dependencies,
    sql: { ...sqlFactsOf(options.sql ?? []), ...(options.dynamic ? { dynamicAt: at } : {}) },
  };
}
