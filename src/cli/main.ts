import { Command, CommanderError } from 'commander';
import { ConfigError, loadConfig } from '../config.js';
import { SchemaTooNewError } from '../db/migrate.js';
import { registerDbCommands } from './db.js';
import { registerImportLegacy } from './import-legacy.js';
import { serve } from './serve.js';
import { registerUserCommands } from './users.js';
import { registerVerifyPersistence } from './verify-persistence.js';

const program = new Command()
  .name('mosaic')
  .description('Mosaic: career coaching on PostgreSQL (DATABASE_URL) or embedded SQLite (MOSAIC_DATA_DIR)')
  .showHelpAfterError()
  .exitOverride();

program
  .command('serve')
  .description('migrate the database, then serve the API and web app (PORT, HOST, DATABASE_URL, MOSAIC_DATA_DIR, …)')
  .option('--no-migrate', 'do not migrate at start (as MIGRATE_ON_START=false): refuse to start while migrations are pending')
  .action(async (options: { migrate: boolean }) => {
    const config = loadConfig();
    await serve(options.migrate ? config : { ...config, migrateOnStart: false });
  });

registerDbCommands(program);
registerVerifyPersistence(program);
registerImportLegacy(program);
registerUserCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) process.exit(error.exitCode);
  if (error instanceof ConfigError) {
    console.error(`mosaic: invalid configuration: ${error.message}`);
    process.exit(2);
  }
  if (error instanceof SchemaTooNewError) {
    console.error(`mosaic: ${error.message}`);
    process.exit(3);
  }
  console.error(`mosaic: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
