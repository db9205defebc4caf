import type { Command } from 'commander';
import { loadConfig } from '../config.js';
import { openDatabase, type Database } from '../db/connection.js';
import { migrateToLatest, migrationStatus } from '../db/migrate.js';

async function withDatabase<T>(run: (database: Database) => Promise<T>): Promise<T> {
  const database = openDatabase(loadConfig().database);
  try {
    return await run(database);
  } finally {
    await database.close();
  }
}

export function registerDbCommands(program: Command): void {
  const db = program.command('db').description('database maintenance');

  db.command('migrate')
    .description('apply pending migrations to the configured database (DATABASE_URL or the SQLite file)')
    .action(() =>
      withDatabase(async (database) => {
        const results = await migrateToLatest(database.db);
        for (const result of results) console.log(`applied ${result.migrationName}`);
        const status = await migrationStatus(database.db);
        console.log(
          `${database.backend} at ${database.location}: schema version ${status.schemaVersion}` +
            (results.length === 0 ? ' (already up to date)' : ''),
        );
      }),
    );

  db.command('status')
    .description('list applied and pending migrations of the configured database')
    .action(() =>
      withDatabase(async (database) => {
        const status = await migrationStatus(database.db);
        console.log(`${database.backend} at ${database.location}`);
        for (const m of status.applied) console.log(`  applied  ${m.name}  ${m.appliedAt}`);
        for (const name of status.pending) console.log(`  pending  ${name}`);
        for (const name of status.unknown) console.log(`  unknown  ${name}  (newer than this build)`);
        console.log(`schema version ${status.schemaVersion} of ${status.latestVersion}; ${status.pending.length} pending`);
      }),
    );
}
