/** The data the migration tool works on: keys, dependency references and what each migration file declares. */
import type { SwapToken } from '../swappable/tokens.js';

/** The package's app label. */
export const PACKAGE_APP = 'realtime_chat_messaging';

/** A migration's identity: its app and its name (the file name without extension). */
export interface MigrationKey {
  readonly app: string;
  readonly name: string;
}

/** Where something was written, for messages that name the file and line. */
export interface SourceLocation {
  readonly file: string;
  /** 1-based line. */
  readonly line: number;
}

/** A character range in a file (0-based offsets), for minimal text edits. */
export interface TextSpan {
  readonly start: number;
  readonly end: number;
}

/** A dependency as declared: on one migration, or on the first migration of whatever app owns a swapped model. */
export type DependencyRef =
  | { readonly kind: 'migration'; readonly app: string; readonly name: string; readonly at: SourceLocation; readonly nameSpan: TextSpan }
  | { readonly kind: 'swappable'; readonly token: SwapToken; readonly at: SourceLocation };

/** What the SQL of a migration creates and needs, as far as its literal statements tell. */
export interface SqlFacts {
  /** Tables it creates. */
  readonly createsTables: readonly string[];
  /** Constraint and index names it creates. */
  readonly createsNames: readonly string[];
  /** Tables it needs to exist (altered, referenced by a foreign key, indexed). */
  readonly needsTables: readonly string[];
  /** Constraint and index names it needs to exist (dropped, renamed). */
  readonly needsNames: readonly string[];
  /** Set when `up()` builds SQL the tool cannot read statically: where that happens. */
  readonly dynamicAt?: SourceLocation;
}

/** Everything the tool reads from one migration file, without executing it. */
export interface MigrationDeclaration extends MigrationKey {
  readonly file: string;
  readonly className: string;
  readonly appAt: SourceLocation;
  readonly dependencies: readonly DependencyRef[];
  readonly sql: SqlFacts;
  /** Tokens whose model this migration moves from the package's default table (`static swaps`, written by `chat-migrate swap`). */
  readonly swaps?: readonly SwapToken[];
}

/** A file that could not be read as a migration. */
export interface ParseFailure {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

/** The text form of a key: `app.name`. */
export function keyString(key: MigrationKey): string {
  return `${key.app}.${key.name}`;
}

/** The name of the package's first migration (its tables): what `fix` repoints to. */
export const PACKAGE_FIRST_NAME = '0001_initial';

/** The name of the package's second migration (its keys to swappable models): what closes the guide's cycle. */
export const PACKAGE_SECOND_NAME = '0002_initial';

/** The key of the package's first migration. */
export const PACKAGE_FIRST = keyString({ app: PACKAGE_APP, name: PACKAGE_FIRST_NAME });

/** The key of the package's second migration. */
export const PACKAGE_SECOND = keyString({ app: PACKAGE_APP, name: PACKAGE_SECOND_NAME });
