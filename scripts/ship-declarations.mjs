#!/usr/bin/env node
/**
 * Runs after `npm run build`: writes the declarations of the package's own compiled migrations
 * beside them (dist/src/migrations/base/declarations.json), so that `chat-migrate` reads them
 * without loading the TypeScript compiler (src/migrations/shipped-declarations.ts).
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'src', 'migrations');
const { listMigrationFiles } = await import(join(dist, 'migration-files.js'));
const { parseMigration } = await import(join(dist, 'parse.js'));
const { shipDeclarations } = await import(join(dist, 'shipped-declarations.js'));
const dir = join(dist, 'base');
shipDeclarations(dir, listMigrationFiles(dir), (file, text) => parseMigration(ts, file, text));
