/**
 * The PGlite driver, closing the database it is handed: the adapter leaves an instance made by a
 * factory open on `orm.close()`, which would keep the data directory (and its lock) busy.
 */
import type { PGlite } from '@electric-sql/pglite';
import type { Configuration } from '@mikro-orm/core';
import { PGliteConnection, PGliteDriver } from 'mikro-orm-pglite';

class ClosingPGliteConnection extends PGliteConnection {
  override async close(force?: boolean): Promise<void> {
    const db = (this as unknown as { dialectDataSource: { getPGlite(): PGlite | null } }).dialectDataSource.getPGlite();
    await super.close(force);
    if (db && !db.closed) await db.close();
  }
}

export class ChatPGliteDriver extends PGliteDriver {
  constructor(config: Configuration) {
    super(config);
    (this as unknown as { connection: PGliteConnection }).connection = new ClosingPGliteConnection(config);
  }
}
