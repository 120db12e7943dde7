/**
 * The Django twin of bench/dag's synthetic project: the same apps, migrations and dependencies as
 * a Django project, and a timing of Django's MigrationLoader on it as a whole process. Runs only
 * where a Python with Django is available (`--django <python>`, or python3 if it imports django).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { appName, dependenciesOf, migrationName, MIGRATIONS_PER_APP, PACKAGE_APP, type SyntheticDependency } from './synthetic-graph.js';

const SETTING_OF = { User: 'AUTH_USER_MODEL', Message: 'CHAT_MESSAGE_MODEL' } as const;

function renderDependency(dep: SyntheticDependency): string {
  return dep.kind === 'migration' ? `('${dep.app}', '${dep.name}')` : `migrations.swappable_dependency(settings.${SETTING_OF[dep.token]})`;
}

function migrationModule(app: number, index: number): string {
  const deps = dependenciesOf(app, index).map(renderDependency);
  const model = `T${String(index).padStart(2, '0')}`;
  return `from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ${deps.join(',\n        ')},
    ]

    operations = [
        migrations.CreateModel(
            name='${model}',
            fields=[
                ('id', models.UUIDField(primary_key=True, serialize=False)),
                ('title', models.CharField(max_length=64)),
                ('created_at', models.DateTimeField()),
                ('room', models.ForeignKey(on_delete=models.CASCADE, to='${PACKAGE_APP}.room')),
            ],
        ),
    ]
`;
}

const PACKAGE_MIGRATIONS: Record<string, string> = {
  '0001_initial': `from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [
        migrations.CreateModel(name='Room', fields=[('id', models.UUIDField(primary_key=True, serialize=False))]),
    ]
`,
  '0002_initial': `from django.conf import settings
from django.db import migrations


class Migration(migrations.Migration):
    initial = True
    dependencies = [
        ('${PACKAGE_APP}', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        migrations.swappable_dependency(settings.CHAT_MESSAGE_MODEL),
    ]
    operations = []
`,
};

// Loads the graph as \`migrate\` and \`makemigrations\` do; the guide's cycle ends it, as it ends chat-migrate check.
const LOADER = `import sys
import django
from django.conf import settings
apps = sys.argv[1:]
settings.configure(INSTALLED_APPS=['${PACKAGE_APP}'] + apps, AUTH_USER_MODEL='app0001.BenchUser', CHAT_MESSAGE_MODEL='app0000.BenchMessage', DATABASES={})
django.setup()
from django.db.migrations.exceptions import CircularDependencyError
from django.db.migrations.loader import MigrationLoader
try:
    MigrationLoader(None, ignore_no_migrations=True)
    print('no cycle')
except CircularDependencyError as error:
    print('cycle', str(error)[:80])
`;

function writePackage(dir: string, files: Record<string, string>): void {
  mkdirSync(join(dir, 'migrations'), { recursive: true });
  writeFileSync(join(dir, '__init__.py'), '');
  writeFileSync(join(dir, 'migrations', '__init__.py'), '');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, 'migrations', `${name}.py`), text);
}

/** Writes the Django twin of a synthetic project of `apps` apps into `dir`. */
export function buildDjangoTwin(dir: string, apps: number): void {
  rmSync(dir, { recursive: true, force: true });
  writePackage(join(dir, PACKAGE_APP), PACKAGE_MIGRATIONS);
  for (let a = 0; a < apps; a++) {
    const files: Record<string, string> = {};
    for (let m = 0; m < MIGRATIONS_PER_APP; m++) files[migrationName(m)] = migrationModule(a, m);
    writePackage(join(dir, appName(a)), files);
  }
  writeFileSync(join(dir, 'load_graph.py'), LOADER);
}

/** Removes the bytecode Python wrote beside the twin's modules (a first run has none). */
export function forgetBytecode(dir: string, apps: number): void {
  for (let a = 0; a < apps; a++) rmSync(join(dir, appName(a), 'migrations', '__pycache__'), { recursive: true, force: true });
  rmSync(join(dir, PACKAGE_APP, 'migrations', '__pycache__'), { recursive: true, force: true });
}

/** A Python that imports django: the one given, else python3 if it can; undefined when none. */
export function findDjangoPython(given: string | undefined): string | undefined {
  for (const candidate of given ? [given] : ['python3']) {
    const probe = spawnSync(candidate, ['-c', 'import django'], { encoding: 'utf8' });
    if (probe.status === 0) return candidate;
    if (given) throw new Error(`${given} cannot import django: ${probe.stderr.trim().split('\n').pop()}`);
  }
  return undefined;
}

/** The arguments that run the loader on a twin of `apps` apps. */
export function loaderArgs(apps: number): string[] {
  return ['load_graph.py', ...Array.from({ length: apps }, (_, a) => appName(a))];
}
