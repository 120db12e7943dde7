/**
 * A fixture project as it was before a swap: the default models, the package's migrations applied,
 * and a group of three (alice, bob, carol) that exchanged six messages, so every notification has
 * two recipients.
 */
import { MikroORM } from '@mikro-orm/core';
import { chatOrmConfig, createChatEngine, defineChatSettings, type AbstractUser, type DatabaseTarget } from '../../src/index.js';
import { createUsers } from './factories.js';
import { copyProject, type Project } from './project.js';
import { tableRows } from './table-rows.js';

/** The project, its database, every table's rows before the swap, and bob's id. */
export interface TeamBeforeSwap {
  readonly project: Project;
  readonly database: DatabaseTarget;
  readonly before: Record<string, string[]>;
  readonly bobId: string;
}

/** Copies fixture `name` (whose config names the app `app`), migrates it with the defaults and fills it; `extra` runs SQL on bob before the rows are read. */
export async function teamBeforeSwap(name: string, app: string, extra?: (sql: (text: string, params: unknown[]) => Promise<unknown>, bobId: string) => Promise<void>): Promise<TeamBeforeSwap> {
  const project = await copyProject(name);
  const database = project.database.target.url ? project.database.target : { dataDir: project.env.CHAT_DATA_DIR! };
  const settings = defineChatSettings();
  const orm = await MikroORM.init(await chatOrmConfig(settings, { database, baseDir: project.dir, apps: { [app]: { migrations: 'migrations' } }, migrations: { silent: true } }));
  try {
    await orm.getMigrator().up();
    const engine = createChatEngine({ orm, settings });
    const [alice, bob, carol] = (await createUsers(orm.em.fork(), 'alice', 'bob', 'carol')) as [AbstractUser, AbstractUser, AbstractUser];
    const team = ((await engine.createRoom(alice, { type: 'GroupChat', name: 'Team', participants: [bob.id, carol.id] })).result as { id: string }).id;
    for (let i = 0; i < 6; i++) await engine.sendMessage([alice, bob, carol][i % 3]!, { room_id: team, content: `message ${i}` });
    const connection = orm.em.fork().getConnection();
    await extra?.((text, params) => connection.execute(text, params), bob.id);
    return { project, database, before: await tableRows(orm), bobId: bob.id };
  } finally {
    await orm.close(true);
  }
}
