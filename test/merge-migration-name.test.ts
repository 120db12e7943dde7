import test from 'ava';
import { mergeMigrationName } from '../src/migrations/merge/name.js';
import { renderMergeMigration } from '../src/migrations/merge/render.js';

const NOW = new Date(Date.UTC(2026, 10, 30, 12, 0, 0));

test('after timestamped migrations: MikroORM\'s name with the suffix merge, stamped now', t => {
  t.deepEqual(mergeMigrationName(['Migration20261125101632', 'Migration20261126090000'], NOW), {
    name: 'Migration20261130120000_merge',
    className: 'Migration20261130120000_merge',
  });
});

test('stamped after the latest migration when that one is stamped later than now', t => {
  t.is(mergeMigrationName(['Migration20261231235959', 'Migration20261201000000_b'], NOW).name, 'Migration20270101000000_merge');
});

test('after numbered migrations: the next number, as Django names them', t => {
  t.deepEqual(mergeMigrationName(['0001_initial', '0002_add_a', '0002_add_b'], NOW), { name: '0003_merge', className: 'Migration0003Merge' });
});

test('a merge after a merge is stamped after it', t => {
  t.is(mergeMigrationName(['Migration20261130120000_merge', 'Migration20261101000000'], new Date(Date.UTC(2026, 10, 30, 11, 0, 0))).name, 'Migration20261130120001_merge');
});

test('the JavaScript form has no types', t => {
  const js = renderMergeMigration('myapp', 'Migration20261130120000_merge', ['A', 'B'], false);
  t.notRegex(js, /readonly|as const|override|Promise<void>/);
  t.regex(js, /static app = 'myapp';\n {2}static dependencies = \[\n {4}\['myapp', 'A'\],\n {4}\['myapp', 'B'\],\n {2}\];/);
});
