/**
 * The declarations of the package's own migrations, written beside them when the package is built
 * (`scripts/ship-declarations.mjs`): their `up()` computes its SQL, so only the TypeScript compiler
 * could read them, and a first run of `chat-migrate` need not load it for two files that never change.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { writeFileAtomic } from './atomic-write.js';
import { compact, expand, type DeclarationRecord } from './declaration-record.js';
import { contentHash, fingerprintOf } from './file-fingerprint.js';
import type { MigrationDeclaration, ParseFailure } from './types.js';

const FILE = 'declarations.json';

/** By base name: each file's declaration, with the hash of the text it was read from. */
type Shipped = Record<string, DeclarationRecord>;

/**
 * What the folder ships: a reader that answers for a file whose text is the one the declarations
 * were written from (any other answers `undefined`, to be parsed), or `undefined` if none ships.
 */
export function shippedDeclarations(dir: string): ((file: string, text: string) => MigrationDeclaration | ParseFailure | undefined) | undefined {
  let shipped: Shipped;
  try {
    shipped = JSON.parse(readFileSync(join(dir, FILE), 'utf8')) as Shipped;
  } catch {
    return undefined;
  }
  return (file, text) => {
    const record = shipped[basename(file)];
    return record && record.h === contentHash(text) ? expand(file, record) : undefined;
  };
}

/** Writes the declarations of a folder's migrations (read by `parse`) for `shippedDeclarations`. */
export function shipDeclarations(dir: string, files: readonly string[], parse: (file: string, text: string) => MigrationDeclaration | ParseFailure): void {
  const shipped: Shipped = {};
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    shipped[basename(file)] = compact(fingerprintOf(statSync(file), text), parse(file, text));
  }
  writeFileAtomic(join(dir, FILE), `${JSON.stringify(shipped, null, 2)}\n`);
}
