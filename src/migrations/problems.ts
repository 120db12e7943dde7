/**
 * What `chat-migrate check` can find wrong, as values: one code per kind, the message text held
 * by a static factory, and where the problem was written when that is known.
 */
import type { GraphEdge } from './graph.js';
import type { ParseFailure, SourceLocation } from './types.js';
import { relativeTo } from './paths.js';

/** The kinds of problem. */
export type ProblemCode =
  | 'parse_error'
  | 'unknown_app'
  | 'app_folder_mismatch'
  | 'duplicate_migration'
  | 'missing_dependency'
  | 'no_first_migration'
  | 'circular_dependency'
  | 'multiple_leaves';

/** One problem of the migration graph. */
export class MigrationProblem {
  private constructor(
    readonly code: ProblemCode,
    readonly message: string,
    readonly at?: SourceLocation & { column?: number },
    /** For cycles: the edges of the cycle, from its first node back to it. */
    readonly cycle?: readonly GraphEdge[],
  ) {}

  /** `file:line: message`, paths relative to `root`. */
  format(root: string): string {
    const where = this.at ? `${relativeTo(root, this.at.file)}:${this.at.line}${this.at.column ? `:${this.at.column}` : ''}: ` : '';
    return `${where}${this.message}`;
  }

  static parseError(failure: ParseFailure): MigrationProblem {
    return new MigrationProblem('parse_error', `cannot read this migration: ${failure.message}`, failure);
  }

  static unknownApp(at: SourceLocation, app: string, known: readonly string[]): MigrationProblem {
    return new MigrationProblem(
      'unknown_app',
      `unknown app label '${app}': the config declares ${known.map(a => `'${a}'`).join(', ')}. Fix the migration's static app, or declare the app in chatOrmConfig({ apps })`,
      at,
    );
  }

  static appFolderMismatch(at: SourceLocation, declared: string, folderApp: string): MigrationProblem {
    return new MigrationProblem(
      'app_folder_mismatch',
      `declares app '${declared}' but lives in the migrations folder of app '${folderApp}': move the file or fix its static app`,
      at,
    );
  }

  static duplicate(key: string, files: readonly string[], root: string): MigrationProblem {
    return new MigrationProblem(
      'duplicate_migration',
      `duplicate migration ${key}: ${files.map(f => relativeTo(root, f)).join(' and ')} have the same name; rename or remove one (a compiled .js beside its .ts counts too)`,
      { file: files[1]!, line: 1 },
    );
  }

  static missingDependency(at: SourceLocation, from: string, target: string, hint: string): MigrationProblem {
    return new MigrationProblem('missing_dependency', `${from} depends on ${target}, which does not exist.${hint}`, at);
  }

  /**
   * `why` says what is wrong when the app does have migration files (one cannot be read, or the
   * folder is not there): creating a migration would then be the wrong advice.
   */
  static noFirstMigration(at: SourceLocation, token: string, app: string, className: string, why?: string): MigrationProblem {
    const advice = why ?? `has no migrations yet: create them with npx mikro-orm-esm migration:create --path <its migrations folder>`;
    return new MigrationProblem('no_first_migration', `swappable(${token}) = ${app}.${className}, but app '${app}' ${advice}`, at);
  }

  static circular(cycle: readonly GraphEdge[]): MigrationProblem {
    const first = cycle[0]!;
    return new MigrationProblem('circular_dependency', `circular dependency: ${formatCycle(cycle)}`, first.ref.at, cycle);
  }

  static multipleLeaves(app: string, leaves: readonly string[], at: SourceLocation): MigrationProblem {
    return new MigrationProblem(
      'multiple_leaves',
      `app '${app}' has ${leaves.length} latest migrations (${leaves.join(', ')}): they conflict. Run npx chat-migrate merge ${app} to add the migration that depends on all of them`,
      at,
    );
  }
}

/** `a -> b -> swappable(Message) = myapp.CustomMessage -> a`. */
export function formatCycle(cycle: readonly GraphEdge[]): string {
  const parts = [cycle[0]!.from];
  for (const edge of cycle) {
    if (edge.swap) parts.push(`swappable(${edge.swap.token}) = ${edge.swap.app}.${edge.swap.className}`);
    parts.push(edge.to);
  }
  return parts.join(' -> ');
}
