/** Why `chat-migrate swap` refuses, each reason with a stable code, its exit code and what to do. */
import { CliError, EXIT } from '../cli-error.js';

/** The kinds of refusal. */
export type SwapErrorCode =
  | 'not_swapped'
  | 'room_type'
  | 'already_swapped'
  | 'table_exists'
  | 'same_table'
  | 'required_column'
  | 'lost_column'
  | 'old_table_in_use'
  | 'graph_problems';

/** A refusal of `chat-migrate swap`: nothing was written. */
export class SwapError extends CliError {
  private constructor(
    readonly code: SwapErrorCode,
    exitCode: number,
    message: string,
  ) {
    super(exitCode, message);
  }

  static notSwapped(token: string): SwapError {
    return new SwapError(
      'not_swapped',
      EXIT.problems,
      `nothing to swap: the settings use the package's default ${token}. Register your class first (defineChatSettings({ models: { ${token}: Custom${token} }, serializers: … })), then run chat-migrate swap ${token} again`,
    );
  }

  static roomType(token: string): SwapError {
    return new SwapError(
      'room_type',
      EXIT.problems,
      `${token} is a room type: its rows stay in the shared chat_room table, so there is no table to move. Create your app's migration with npx mikro-orm-esm migration:create (it adds your columns to chat_room)`,
    );
  }

  static alreadySwapped(token: string, migration: string): SwapError {
    return new SwapError('already_swapped', EXIT.problems, `nothing to swap: ${migration} already moves ${token} to your class's table`);
  }

  static tableExists(table: string, migration: string, token: string): SwapError {
    return new SwapError(
      'table_exists',
      EXIT.problems,
      `${migration} already creates ${table}, so ${token} was swapped before the first migrate and there is nothing to move. ` +
        `If no database has applied it (a database migrated with the default ${token} refuses it), delete that file and run chat-migrate swap ${token} again`,
    );
  }

  static sameTable(className: string, table: string): SwapError {
    return new SwapError(
      'same_table',
      EXIT.problems,
      `${className} uses the default's own table ${table}: there is no table to move. Give it a table of its own (@Entity() without tableName) or keep the default`,
    );
  }

  static requiredColumns(className: string, columns: readonly string[]): SwapError {
    return new SwapError(
      'required_column',
      EXIT.problems,
      `${className}: ${columns.join(', ')} ${columns.length > 1 ? 'are' : 'is'} required and ha${columns.length > 1 ? 've' : 's'} no default, so the rows copied from the default table would have no value. Give ${columns.length > 1 ? 'them' : 'it'} a default or make ${columns.length > 1 ? 'them' : 'it'} nullable, then run chat-migrate swap again`,
    );
  }

  static lostColumns(className: string, table: string, columns: readonly string[]): SwapError {
    const many = columns.length > 1;
    return new SwapError(
      'lost_column',
      EXIT.problems,
      `${className} has no ${many ? 'properties' : 'property'} for ${table}'s ${columns.join(', ')}: the swap would drop ${many ? 'their' : 'its'} values with the old table. ` +
        `Declare ${many ? 'them' : 'it'} on ${className} (the same names; nullable, or with a default), then run chat-migrate swap again`,
    );
  }

  static oldTableInUse(table: string, migrations: readonly string[]): SwapError {
    return new SwapError(
      'old_table_in_use',
      EXIT.problems,
      `${migrations.join(', ')} ${migrations.length > 1 ? 'name' : 'names'} ${table} in ${migrations.length > 1 ? 'their' : 'its'} SQL: after the swap that table no longer exists, so a new database could not run ${migrations.length > 1 ? 'them' : 'it'}. chat-migrate swap moves only the package's keys; move those by hand`,
    );
  }

  static graphProblems(lines: readonly string[]): SwapError {
    return new SwapError('graph_problems', EXIT.problems, `the migration graph has problems; solve them first (nothing was written):\n${lines.map(l => `  ${l}`).join('\n')}`);
  }
}
