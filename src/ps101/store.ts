import type { Kysely, Selectable } from 'kysely';
import { compiledOnce } from '../db/prepared.js';
import type { DB, Ps101RunsTable } from '../db/schema.js';

export type RunRow = Selectable<Ps101RunsTable>;

// The workbook read and every save run this: compiled once (see db/prepared.ts).
const liveRun = compiledOnce((db: Kysely<DB>, userId: number) =>
  db.selectFrom('ps101_runs').selectAll().where('user_id', '=', userId).where('archived_at', 'is', null),
);

/** The user's live run (the one not archived); at most one exists, by a unique partial index. */
export async function findLiveRun(db: Kysely<DB>, userId: number): Promise<RunRow | undefined> {
  return (await liveRun(db, userId))[0];
}

export function findRun(db: Kysely<DB>, userId: number, runId: number): Promise<RunRow | undefined> {
  return db.selectFrom('ps101_runs').selectAll().where('user_id', '=', userId).where('id', '=', runId).executeTakeFirst();
}

/** Every run of the user, newest first. */
export function listRuns(db: Kysely<DB>, userId: number): Promise<RunRow[]> {
  return db.selectFrom('ps101_runs').selectAll().where('user_id', '=', userId).orderBy('id', 'desc').execute();
}

export function insertRun(db: Kysely<DB>, run: Omit<RunRow, 'id'>): Promise<RunRow> {
  return db.insertInto('ps101_runs').values(run).returningAll().executeTakeFirstOrThrow();
}

export interface RunChanges {
  currentStep: number;
  answers: string;
  completedAt: string | null;
  updatedAt: string;
}

/**
 * Writes a new state only if the run is still live and still at `expectedRevision`: the
 * check and the write are one statement, so two tabs can never both win. Undefined when
 * another write got there first.
 */
export function updateRunIfRevision(
  db: Kysely<DB>,
  runId: number,
  expectedRevision: number,
  changes: RunChanges,
): Promise<RunRow | undefined> {
  return db
    .updateTable('ps101_runs')
    .set({
      current_step: changes.currentStep,
      answers: changes.answers,
      completed_at: changes.completedAt,
      updated_at: changes.updatedAt,
      revision: expectedRevision + 1,
    })
    .where('id', '=', runId)
    .where('revision', '=', expectedRevision)
    .where('archived_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
}

export async function countArchivedRuns(db: Kysely<DB>, userId: number): Promise<number> {
  const row = await db
    .selectFrom('ps101_runs')
    .select((eb) => eb.fn.countAll().as('count'))
    .where('user_id', '=', userId)
    .where('archived_at', 'is not', null)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export async function deleteArchivedRun(db: Kysely<DB>, userId: number, runId: number): Promise<void> {
  await db.deleteFrom('ps101_runs').where('user_id', '=', userId).where('id', '=', runId).where('archived_at', 'is not', null).execute();
}

export async function archiveRun(db: Kysely<DB>, runId: number, now: string): Promise<boolean> {
  const result = await db
    .updateTable('ps101_runs')
    .set({ archived_at: now })
    .where('id', '=', runId)
    .where('archived_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
