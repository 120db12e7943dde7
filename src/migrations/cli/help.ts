/** Help texts of `chat-migrate` and its commands. */
import type { Command } from './args.js';

const COMMON = `  --config <file>   the project's MikroORM config (default: ./mikro-orm.config.ts, else ./mikro-orm.config.js)
  --no-cache        read the config and every migration file again instead of the cached facts
                    (cached in node_modules/.cache/chat-migrate, or in $CHAT_MIGRATE_CACHE_DIR)
  -h, --help        this help`;

const EXIT_CODES = `Exit codes: 0 done, 1 problems found (or the command refused), 2 bad command line,
3 config cannot be loaded, 4 a file or the database could not be written or reached.`;

/** The help of one command, or of the tool. */
export function helpText(command?: Command): string {
  switch (command) {
    case 'check':
      return `Usage: chat-migrate check [options]

Builds the dependency graph of the package's and every app's migrations, reading the files
without running them, and reports: cycles (as a path, naming the swapped model that closes
each), dependencies on missing migrations, duplicate names, several latest migrations in one
app (chat-migrate merge joins them), unknown app labels and files that cannot be read. Under
each cycle it says whether fix mends it, and last which files fix will change. Exits 1 when it
finds any.

Options:
${COMMON}
  --verbose         also print whether the config was loaded and how many files were parsed

${EXIT_CODES}`;
    case 'fix':
      return `Usage: chat-migrate fix [options]

Mends the cycles the package's swappable models cause: each custom migration caught in a cycle
that depends on ('realtime_chat_messaging', '0002_initial') (or '__latest__') is repointed to
'0001_initial' when the migration needs nothing '0002_initial' brings. The edit changes that one
string and keeps the rest of the file byte for byte; files are written atomically, all or none
(a symlink's target, the link kept). What it cannot mend safely is reported with the reason, the
safe repoints made all the same (exit 1 while a cycle is left). check predicts exactly this.
An app that runs compiled migrations ({ path, pathTs }) must be rebuilt before it starts; fix
says so.

Options:
${COMMON}
  --dry-run         print the change as a unified diff and write nothing
  --verbose         also print whether the config was loaded and how many files were parsed

${EXIT_CODES}`;
    case 'merge':
      return `Usage: chat-migrate merge [app] [options]

Joins the branches of an app's migrations, as Django's makemigrations --merge does: when an app
has more than one latest migration (two branches each added one, neither depending on the
other), check reports the conflict and migration:create refuses. merge writes into the app's
migrations folder one migration that depends on all of them and does nothing in up() and down(),
named as migration:create names them (Migration<timestamp>_merge, or 0004_merge after numbered
names), atomically. With no app named, it merges every app that needs it. Prints "Nothing to
merge" (exit 0) when no app has more than one latest migration. An app that runs compiled
migrations ({ path, pathTs }) must be rebuilt before it starts; merge says so.

Arguments:
  [app]             the app label (default: every app)

Options:
${COMMON}
  --dry-run         print the migration and write nothing
  --verbose         also print whether the config was loaded and how many files were parsed

${EXIT_CODES}`;
    case 'graph':
      return `Usage: chat-migrate graph [options]

Prints every migration in run order with its dependencies.

Options:
${COMMON}
  --format <f>      text (default) or dot (Graphviz: chat-migrate graph --format dot | dot -Tsvg)

${EXIT_CODES}`;
    case 'plan':
      return `Usage: chat-migrate plan [options]

Prints every migration in the order they run, [X] for those the database has applied and [ ]
for the pending ones. Connects to the database of the config, and creates nothing: a database
that is not there is an error (exit 4).

Options:
${COMMON}

${EXIT_CODES}`;
    case 'migrate':
      return `Usage: chat-migrate migrate [options]

Applies the pending migrations in dependency order (the order npx mikro-orm migration:up uses).
Refuses, changing nothing, when the graph has a problem (a cycle...) or the history is
inconsistent (an applied migration whose dependency is not applied).

Options:
${COMMON}

${EXIT_CODES}`;
    case 'swap':
      return `Usage: chat-migrate swap <Token> [options]

Swaps a model after the first migrate: for a database migrated with the package's default
(Message, say) before you registered your class, writes into your app's migrations folder the
migration that creates your class's table, copies the rows with their ids (your own columns take
their defaults), moves the package's keys that pointed at the old table (reactions, receipts,
notifications, media, replies, forwards, the rooms' last message...), carries sequences on, and
drops the old table; it also updates the app's snapshot for migration:create. The migration
declares static swaps = ['<Token>']: the package's migrations it depends on keep meaning the
default model, so the history of a database migrated before stays consistent. Then run
chat-migrate migrate. Refuses (exit 1, nothing written) when there is nothing to swap.

Arguments:
  <Token>           the model token: User, Session, RoomProperty, Message, MessageMediaAsset,
                    ReadReceipt, ChatNotification or Reaction (room types share chat_room: nothing to move)

Options:
${COMMON}
  --dry-run         print the migration and write nothing

${EXIT_CODES}`;
    default:
      return `Usage: chat-migrate <command> [options]

The migration graph of realtime-chat-messaging and your apps: finds and mends the circular
dependency a swapped model causes, and applies migrations in dependency order.

Commands:
  check     report cycles and other problems of the migration graph (exit 1 on any)
  fix       repoint custom migrations from 0002_initial to 0001_initial where that mends a cycle
  merge     add the migration that joins an app's latest migrations when branches each added one
  graph     print the graph (text, or Graphviz with --format dot)
  plan      list migrations in run order, marking those the database applied
  migrate   apply the pending migrations
  swap      write the migration that swaps a model on a database already migrated with the default

Run chat-migrate <command> --help for a command's options.

${EXIT_CODES}`;
  }
}
