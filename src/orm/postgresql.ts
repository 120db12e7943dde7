/**
 * MikroORM's PostgreSQL driver package, loaded with `require`. An ESM `import` of a CommonJS
 * package makes Node scan its source, and that of every module it re-exports (the driver re-exports
 * MikroORM's knex layer), for the names it exports: tens of milliseconds at every start of a
 * process (`chat-migrate`, the MikroORM CLI, a server). The types are the package's own.
 */
import { createRequire } from 'node:module';

export const postgresql = createRequire(import.meta.url)('@mikro-orm/postgresql') as typeof import('@mikro-orm/postgresql');
