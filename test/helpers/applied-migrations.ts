/** The database of a copied custom-message project, opened from the test: what MikroORM recorded as applied, in order. */
import { MikroORM } from '@mikro-orm/core';
import { chatOrmConfig } from '../../src/index.js';
import { settings } from '../../fixtures/custom-message/settings.js';
import { CustomMessage } from '../../fixtures/custom-message/models.js';
import type { Project } from './project.js';

export async function appliedOrder(project: Project): Promise<string[]> {
  return withProjectOrm(project, async orm => {
    const rows = await orm.em.fork().getConnection().execute<{ name: string }[]>('select name from mikro_orm_migrations order by id');
    return (rows as { name: string }[]).map(row => row.name);
  });
}

/** Runs `work` with an ORM on the project's database (closed after). */
export async function withProjectOrm<T>(project: Project, work: (orm: MikroORM) => Promise<T>): Promise<T> {
  const orm = await MikroORM.init(
    await chatOrmConfig(settings, {
      database: project.database.target.url ? project.database.target : { dataDir: project.env.CHAT_DATA_DIR },
      entities: [CustomMessage],
    }),
  );
  try {
    return await work(orm);
  } finally {
    await orm.close(true);
  }
}
