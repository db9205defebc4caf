import { after, before } from 'node:test';
import { openDatabase, type Backend, type Database } from '../db/connection.js';
import { migrateToLatest } from '../db/migrate.js';
import { createTestDatabase, type TestDatabase } from './databases.js';

/**
 * A fresh database of the suite's own, migrated before its tests and dropped after them, for
 * tests of the data layer without a server. Read `database` inside the tests, not at
 * registration (it is opened in `before`).
 */
export function useMigratedDatabase(backend: Backend): { readonly database: Database } {
  let testDatabase: TestDatabase | undefined;
  let database: Database | undefined;
  before(async () => {
    testDatabase = await createTestDatabase(backend);
    database = openDatabase(testDatabase.config);
    await migrateToLatest(database.db);
  });
  after(async () => {
    await database?.close();
    await testDatabase?.drop();
  });
  return {
    get database() {
      if (!database) throw new Error('the test database is opened in before()');
      return database;
    },
  };
}
