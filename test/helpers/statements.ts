/** Counts the statements the database receives while `work` runs (the whole ORM: run it where nothing else does). */
import type { MikroORM } from '@mikro-orm/core';
import type { AbstractSqlConnection } from '@mikro-orm/postgresql';
import pg from 'pg';

export async function countStatements(orm: MikroORM, work: () => Promise<unknown>): Promise<number> {
  let statements = 0;
  // On PostgreSQL every statement goes through a pg client (prepared ones bypass knex); the embedded database only through knex.
  const onServer = !!process.env.DATABASE_URL;
  const knex = (orm.em.getConnection() as AbstractSqlConnection).getKnex();
  const count = () => void statements++;
  const query = pg.Client.prototype.query;
  if (onServer) {
    pg.Client.prototype.query = function counted(this: pg.Client, ...args: unknown[]) {
      statements++;
      return (query as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof query;
  } else {
    knex.on('query', count);
  }
  try {
    await work();
  } finally {
    pg.Client.prototype.query = query;
    knex.off('query', count);
  }
  return statements;
}
