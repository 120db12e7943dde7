/**
 * `npm run create-user -- <username>…` (after `npm run build` and `npm run migrate`): creates each
 * user (or finds the one with that name) and prints a line of JSON with its id and a token, for
 * `Authorization: Bearer <token>` and `ws://…/messaging/?token=<token>`. With the embedded
 * database, run it while the server is stopped: one process owns the database.
 */
import { model, tokenAuthentication } from 'realtime-chat-messaging';
import { openMigratedDatabase } from './database.js';
import { tokenSecret } from './token-secret.js';

const usernames = process.argv.slice(2);
if (usernames.length === 0) {
  console.error('usage: npm run create-user -- <username>…');
  process.exit(2);
}
try {
  // Users live in the migrated database: a missing migration is named rather than a missing table.
  const orm = await openMigratedDatabase();
  try {
    const auth = tokenAuthentication(orm, tokenSecret());
    const User = model('User');
    for (const username of usernames) {
      const em = orm.em.fork();
      const user = (await em.findOne(User, { username })) ?? em.create(User, { username });
      await em.flush();
      console.log(JSON.stringify({ id: user.id, username: user.username, token: auth.issue(user.id) }));
    }
  } finally {
    await orm.close(true);
  }
} catch (error) {
  // The errors say what to do (a busy embedded database, a migration not applied): no stack needed.
  console.error(`create-user: ${(error as Error).message}`);
  process.exitCode = 1;
}
