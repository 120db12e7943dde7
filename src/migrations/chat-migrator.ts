/**
 * `ChatMigrator`: MikroORM's migrator, made app-aware. `migration:create` writes into one app's
 * folder a migration holding only that app's schema changes: the "before" state is everything
 * other apps own plus the app's own snapshot, so the diff is exactly what the app changed.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Type, UnknownType, t, type EntityManager, type MikroORM } from '@mikro-orm/core';
import { Migrator, type MigrationResult } from '@mikro-orm/migrations';
import { DatabaseSchema, DatabaseTable, type SqlEntityManager } from '@mikro-orm/postgresql';
import { ChatError } from '../errors/chat-error.js';
import { activeProject } from './active-project.js';
import type { ChatApp } from './apps.js';
import { isSecondEntry } from './cycles.js';
import { ChatMigrationGenerator } from './generator.js';

export { ChatMigrationGenerator };
import { inconsistentHistory, inconsistentHistoryMessage } from './history.js';
import type { MigrationProblem } from './problems.js';
import { ownedSchema, ownerOfPart, type OwnedSchema } from './package-schema.js';
import { graphProblemsError, sourceDir } from './runtime-project.js';
import { sliceSchema } from './schema-slices.js';
import { endCliOnRefusal } from './mikro-orm-cli.js';

export class ChatMigrator extends Migrator {
  private readonly chatEm: SqlEntityManager;
  private target?: { app: ChatApp; dir: string; owned: OwnedSchema };

  constructor(em: EntityManager) {
    super(em as SqlEntityManager);
    this.chatEm = em as SqlEntityManager;
  }

  /** Registers this migrator as the ORM's (`extensions: [ChatMigrator]`). */
  static override register(orm: MikroORM): void {
    orm.config.registerExtension('@mikro-orm/migrator', () => new ChatMigrator(orm.em));
  }

  /**
   * Refuses to run migrations whose graph has problems, with every problem named. Creating a
   * migration is let through a swap cycle (`chat-migrate fix` mends it once the files exist) and an
   * app with no migration yet (creating it is the cure), so no order of creation deadlocks.
   */
  private assertRunnable(creating = false): void {
    const project = activeProject();
    const graph = project.graph;
    const isSwapCycle = (p: MigrationProblem) => graph !== undefined && p.cycle !== undefined && p.cycle.some(edge => isSecondEntry(graph, edge));
    const blocking = project.problems.filter(p => !(creating && (p.code === 'no_first_migration' || isSwapCycle(p))));
    if (blocking.length > 0) throw graphProblemsError(blocking, project.baseDir, project.stale, creating ? 'create' : 'run');
  }

  /** Runs a command; under MikroORM's CLI, a refusal ends the process with its message alone (no help, no stack). */
  private async refusing<T>(command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (error) {
      await endCliOnRefusal(error, () => this.chatEm.getDriver().close(true));
      throw error;
    }
  }

  override async up(options?: Parameters<Migrator['up']>[0]): ReturnType<Migrator['up']> {
    return this.refusing(async () => {
      this.assertRunnable();
      await this.assertConsistentHistory();
      return super.up(options);
    });
  }

  /** Refuses, as `chat-migrate migrate` does, a database where an applied migration's dependency is not applied. */
  private async assertConsistentHistory(): Promise<void> {
    const graph = activeProject().graph;
    if (!graph) return;
    const applied = new Set((await this.getExecutedMigrations()).map(row => row.name));
    const broken = inconsistentHistory(graph, applied);
    if (broken.length > 0) throw new ChatError('inconsistent_history', `Refusing: ${inconsistentHistoryMessage(broken, 'the migrations')}`, broken);
  }

  override async down(options?: Parameters<Migrator['down']>[0]): ReturnType<Migrator['down']> {
    return this.refusing(async () => {
      this.assertRunnable();
      return super.down(options);
    });
  }

  override async getPendingMigrations(): ReturnType<Migrator['getPendingMigrations']> {
    return this.refusing(async () => {
      this.assertRunnable();
      return super.getPendingMigrations();
    });
  }

  /** Writes a migration of one app (the one whose folder `path` names, else the first). */
  override async createMigration(path?: string, blank = false, _initial = false, name?: string): Promise<MigrationResult> {
    return this.refusing(() => this.createAppMigration(path, blank, name));
  }

  private async createAppMigration(path: string | undefined, blank: boolean, name: string | undefined): Promise<MigrationResult> {
    const project = activeProject();
    this.assertRunnable(true);
    const app = this.appFor(path);
    const dir = sourceDir(app, project.baseDir);
    const owned = ownedSchema(this.chatEm, project.apps);
    if (!project.graph) throw new ChatError('migration_error', 'the migration graph was not loaded; build the options with chatOrmConfig()');
    const generator = (this as unknown as { generator: unknown }).generator;
    if (!(generator instanceof ChatMigrationGenerator)) {
      throw new ChatError('migration_error', "migrations.generator must be the package's ChatMigrationGenerator (chatOrmConfig sets it)");
    }
    generator.context = {
      app: app.label,
      graph: project.graph,
      ownership: owned.ownership,
      tokenTables: tokenTables(this.chatEm, project.settings.models),
      foreignConstraints: foreignConstraints(owned, app.label),
    };
    this.target = { app, dir, owned };
    try {
      return await super.createMigration(relative(project.baseDir, dir) || '.', blank, false, name);
    } finally {
      this.target = undefined;
      generator.context = undefined;
    }
  }

  /** The package's migrations need no initial special case: the app-aware diff is right from the first one. */
  override async createInitialMigration(path?: string, name?: string, blank = false): Promise<MigrationResult> {
    return this.createMigration(path, blank, false, name);
  }

  /** The "before" state of the app being generated: what other apps own, plus the app's snapshot. */
  protected override getSchemaFromSnapshot(): DatabaseSchema | undefined {
    if (!this.target) return super.getSchemaFromSnapshot();
    const { app, dir, owned } = this.target;
    const others = sliceSchema(owned.full, part => ownerOfPart(owned.ownership, part) !== app.label);
    const snapshot = readSnapshot(snapshotFile(dir, app.label), owned.full);
    return snapshot ? sliceSchema(snapshot, () => true, others) : others;
  }

  /** Stores what the app owns now, for its next migration's diff. */
  protected override async storeCurrentSchema(): Promise<void> {
    if (!this.target) return;
    const { app, dir, owned } = this.target;
    const mine = sliceSchema(owned.full, part => ownerOfPart(owned.ownership, part) === app.label);
    writeFileSync(snapshotFile(dir, app.label), `${JSON.stringify(mine, null, 2)}\n`);
  }

  private appFor(path: string | undefined): ChatApp {
    const project = activeProject();
    const apps = project.apps.apps;
    if (apps.length === 0) {
      throw new ChatError(
        'migration_error',
        "no app is declared for migrations: add chatOrmConfig(settings, { apps: { myapp: { migrations: './migrations' } } })",
      );
    }
    if (!path) return apps[0]!;
    const wanted = join(project.baseDir, path);
    const app = apps.find(a => sourceDir(a, project.baseDir) === wanted || join(project.baseDir, a.path) === wanted);
    if (!app) {
      throw new ChatError('migration_error', `--path ${path} is not the migrations folder of any app (apps: ${apps.map(a => `${a.label} → ${a.pathTs ?? a.path}`).join(', ')})`);
    }
    return app;
  }
}

/** Where an app's snapshot lives. */
export function snapshotFile(dir: string, app: string): string {
  return join(dir, `.snapshot-${app}.json`);
}

/** Reads a snapshot written by `storeCurrentSchema`, on the platform of `like`. */
export function readSnapshot(file: string, like: DatabaseSchema): DatabaseSchema | undefined {
  if (!existsSync(file)) return undefined;
  const data = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; tables: { name: string; schema?: string; columns: Record<string, { mappedType?: string }> }[] };
  const platform = (like as unknown as { platform: ConstructorParameters<typeof DatabaseSchema>[0] }).platform;
  const schema = new DatabaseSchema(platform, like.name);
  schema.setNativeEnums(like.getNativeEnums());
  const tables = data.tables.map(stored => {
    const table = new DatabaseTable(platform, stored.name, stored.schema);
    const { columns, ...rest } = stored;
    Object.assign(table, rest);
    for (const column of Object.values(columns)) {
      const mapped = (t as Record<string, unknown>)[column.mappedType ?? ''] ?? UnknownType;
      table.addColumn({ ...(column as object), mappedType: Type.getType(mapped as never) } as never);
    }
    return table;
  });
  Object.assign(schema, { tables });
  return schema;
}

/** Table → token, for the tables of the configured models. */
function tokenTables(em: EntityManager, models: Readonly<Record<string, Function>>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [token, cls] of Object.entries(models)) {
    const meta = em.getMetadata().find(cls.name);
    // Room types share the room table, which no token owns.
    if (meta && !(meta.root !== meta && meta.root.discriminatorColumn)) out.set(meta.tableName, token);
  }
  return out;
}

/** Names of the foreign keys other apps own. */
function foreignConstraints(owned: OwnedSchema, app: string): Set<string> {
  const out = new Set<string>();
  for (const table of owned.full.getTables()) {
    for (const fk of Object.values(table.getForeignKeys())) {
      if (owned.ownership.foreignKeyOwner(table.name, fk) !== app) out.add(fk.constraintName);
    }
  }
  return out;
}

