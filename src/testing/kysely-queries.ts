import type { Kysely } from 'kysely';

export interface QueryCount {
  /** Queries sent through Kysely's executor since counting began. */
  readonly count: number;
  restore(): void;
}

/** Counts the queries `db` runs through Kysely's executor (not the immediate SQLite reads) until `restore`. */
export function countQueriesThroughKysely(db: Kysely<any>): QueryCount {
  const executeQuery = db.executeQuery;
  let count = 0;
  db.executeQuery = ((...args: Parameters<typeof executeQuery>) => {
    count++;
    return executeQuery.apply(db, args);
  }) as typeof executeQuery;
  return {
    get count() {
      return count;
    },
    restore: () => {
      db.executeQuery = executeQuery;
    },
  };
}
