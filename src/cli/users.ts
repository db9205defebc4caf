import type { Command } from 'commander';
import { pino } from 'pino';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/connection.js';
import { loggerOptions } from '../http/logging.js';
import { Outbox } from '../mail/outbox.js';
import { issueResetLink } from '../recovery/password-reset.js';

export function registerUserCommands(program: Command): void {
  const users = program.command('users').description('help with accounts');

  users
    .command('reset-link <email>')
    .description(
      'print a one-time password-reset link (from PUBLIC_URL, or http://localhost:PORT) for a person who cannot receive mail; ' +
        'it supersedes earlier reset links and works for PASSWORD_RESET_TTL_MINUTES',
    )
    .action(async (email: string) => {
      const config = loadConfig();
      // The audit line goes to stderr with the server's redaction; stdout holds the link alone.
      const log = pino(loggerOptions(config.logLevel) as object, pino.destination({ fd: 2, sync: true }));
      const database = openDatabase(config.database);
      try {
        const issued = await issueResetLink(database.db, new Outbox(config.mail), email);
        if (!issued) throw new Error(`no registered account uses the address ${email}`);
        log.info({ userId: issued.userId, expiresAt: issued.expiresAt }, 'password-reset link issued by an operator');
        console.log(issued.link);
      } finally {
        await database.close();
      }
    });
}
