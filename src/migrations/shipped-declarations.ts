/**
 * The declarations of the package's own migrations, written beside them when the package is built
 * (`scripts/ship-declarations.mjs`): their `up()` computes its SQL, so only the TypeScript compiler
 * could read them, and a first run of `chat-migrate` need not load it for two files that never change.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { compact, expand, type DeclarationRecord } from './declaration-record.js';
import { writeFileAtomic } from './atomic-write.js';
import type { MigrationDeclaration, ParseFailure } from './types.js';

const FILE = 'declarations.json';

interface Shipped {
  /** By base name: the SHA-256 of the file's text and its declaration. */
  readonly files: Record<string, { readonly sha256: string; readonly record: DeclarationRecord }>;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

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
    const entry = shipped.files?.[basename(file)];
    return entry && entry.sha256 === sha256(text) ? expand(file, entry.record) : undefined;
  };
}

/** Writes the declarations of a folder's migrations (read by `parse`) for `shippedDeclarations`. */
export function shipDeclarations(dir: string, files: readonly string[], parse: (file: string, text: string) => MigrationDeclaration | ParseFailure): void {
  const shipped: Shipped = { files: {} };
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    shipped.files[basename(file)] = { sha256: sha256(text), record: compact(Buffer.byteLength(text), 0, parse(file, text)) };
  }
  writeFileAtomic(join(dir, FILE), `${JSON.stringify(shipped, null, 2)}\n`);
}
