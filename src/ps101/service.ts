import type { Kysely } from 'kysely';
import { requireAccount } from '../auth/service.js';
import { isUniqueViolation, onMissingReference } from '../db/errors.js';
import type { DB } from '../db/schema.js';
import { nowIso, readJson } from '../db/values.js';
import { AppError, invalidInput, notFound, unauthenticated } from '../errors.js';
import { excerpt } from '../http/text.js';
import { isPromptKey, PS101_FLOW, STEP_COUNT } from './flow.js';
import * as store from './store.js';
import type { Answers, RunSummary, WorkbookState } from './responses.js';

export const ANSWER_MAX_CHARS = 20_000;
export const MAX_ANSWERS = 200;

export type { Answers, RunSummary, WorkbookState };

export interface WorkbookUpdate {
  /** The revision the client last saw; the write happens only if it is still current. */
  revision: number;
  currentStep?: number | undefined;
  /** Merged into the stored answers; an empty string removes that answer. */
  answers?: Answers | undefined;
  /** Finishes the workbook: only at step 10 (now or in this same update). */
  complete?: boolean | undefined;
}

export function emptyWorkbook(): WorkbookState {
  return {
    runId: null,
    flowVersion: PS101_FLOW.version,
    currentStep: 1,
    answers: {},
    completedAt: null,
    revision: 0,
    startedAt: null,
    updatedAt: null,
  };
}

function toState(run: store.RunRow): WorkbookState {
  return {
    runId: run.id,
    flowVersion: run.flow_version,
    currentStep: run.current_step,
    answers: readJson<Answers>(run.answers),
    completedAt: run.completed_at,
    revision: run.revision,
    startedAt: run.started_at,
    updatedAt: run.updated_at,
  };
}

function toSummary(run: store.RunRow): RunSummary {
  return {
    id: run.id,
    flowVersion: run.flow_version,
    currentStep: run.current_step,
    answeredCount: Object.keys(readJson<Answers>(run.answers)).length,
    completedAt: run.completed_at,
    startedAt: run.started_at,
    updatedAt: run.updated_at,
    archivedAt: run.archived_at,
  };
}

export async function getWorkbook(db: Kysely<DB>, userId: number): Promise<WorkbookState> {
  const run = await store.findLiveRun(db, userId);
  return run ? toState(run) : emptyWorkbook();
}

/** 409 with the current state; or 401 when the run went with an account deleted meanwhile. */
async function revisionConflict(db: Kysely<DB>, userId: number): Promise<AppError> {
  await requireAccount(db, userId);
  return new AppError(409, 'revision_conflict', 'The workbook changed since you loaded it (another tab?); nothing was saved.', {
    current: await getWorkbook(db, userId),
  });
}

/** Characters as people count them (code points), so an emoji is one, not two. */
function characterCount(text: string, atMost: number): number {
  if (text.length <= atMost) return text.length;
  let count = 0;
  for (const _ of text) count++;
  return count;
}

function checkAnswers(answers: Answers): void {
  const keys = Object.keys(answers);
  if (keys.length > MAX_ANSWERS) {
    throw new AppError(400, 'too_many_answers', `At most ${MAX_ANSWERS} answers can be kept.`, { limit: MAX_ANSWERS });
  }
  const unknown = keys.filter((key) => !isPromptKey(key));
  if (unknown.length > 0) {
    // Keys are the client's text, possibly megabytes long: quote only the start of a few.
    const quoted = unknown.slice(0, 20).map((key) => excerpt(key, 40));
    throw new AppError(400, 'unknown_prompt', `No such prompt: ${quoted.slice(0, 5).join(', ')}.`, { keys: quoted });
  }
  for (const key of keys) {
    if (characterCount(answers[key]!, ANSWER_MAX_CHARS) > ANSWER_MAX_CHARS) {
      throw new AppError(413, 'answer_too_long', `The answer to ${key} is over ${ANSWER_MAX_CHARS} characters.`, {
        key,
        limit: ANSWER_MAX_CHARS,
      });
    }
  }
}

function mergeAnswers(stored: Answers, changes: Answers | undefined): Answers {
  const merged = { ...stored };
  for (const [key, text] of Object.entries(changes ?? {})) {
    if (text === '') delete merged[key];
    else merged[key] = text;
  }
  if (Object.keys(merged).length > MAX_ANSWERS) {
    throw new AppError(400, 'too_many_answers', `At most ${MAX_ANSWERS} answers can be kept.`, { limit: MAX_ANSWERS });
  }
  return merged;
}

function nextState(current: WorkbookState, update: WorkbookUpdate, now: string) {
  const currentStep = update.currentStep ?? current.currentStep;
  if (update.complete && currentStep !== STEP_COUNT) {
    throw new AppError(400, 'not_at_last_step', `The workbook can only be completed from step ${STEP_COUNT}.`);
  }
  return {
    currentStep,
    answers: JSON.stringify(mergeAnswers(current.answers, update.answers)),
    // The first completion is the one that counts; later edits keep its time.
    completedAt: current.completedAt ?? (update.complete ? now : null),
    updatedAt: now,
  };
}

/**
 * Applies an update to the live workbook if `update.revision` is still the current one;
 * otherwise throws 409 revision_conflict carrying the current state, having changed nothing.
 * The first update of a user who never started creates the run.
 */
export async function updateWorkbook(db: Kysely<DB>, userId: number, update: WorkbookUpdate): Promise<WorkbookState> {
  if (update.currentStep === undefined && update.answers === undefined && !update.complete) {
    throw invalidInput('Send currentStep, answers or complete: there is nothing to change.');
  }
  if (update.answers) checkAnswers(update.answers);
  const live = await store.findLiveRun(db, userId);
  const current = live ? toState(live) : emptyWorkbook();
  if (update.revision !== current.revision) throw await revisionConflict(db, userId);
  const now = nowIso();
  const changes = nextState(current, update, now);
  if (live) {
    const updated = await store.updateRunIfRevision(db, live.id, live.revision, changes);
    if (updated) return toState(updated);
    throw await revisionConflict(db, userId);
  }
  try {
    const created = await onMissingReference(store.insertRun(db, {
      user_id: userId,
      flow_version: PS101_FLOW.version,
      current_step: changes.currentStep,
      answers: changes.answers,
      completed_at: changes.completedAt,
      revision: 1,
      started_at: now,
      updated_at: now,
      archived_at: null,
    }), unauthenticated);
    return toState(created);
  } catch (error) {
    // Two first saves at once: the unique index on the live run lets one in; the other is stale.
    if (isUniqueViolation(error)) throw await revisionConflict(db, userId);
    throw error;
  }
}

const tooManyRuns = (maxRuns: number) =>
  new AppError(
    413,
    'too_many_runs',
    `You keep ${maxRuns} earlier workbooks, the most allowed; delete one (DELETE /api/ps101/runs/:id) to start again.`,
    { limit: maxRuns },
  );

/**
 * Archives the live run (it stays listed) and starts a fresh one, in one transaction. The new
 * run's revision continues from the old one, so a tab still showing the old run cannot write
 * into the new one. Archived runs are capped at `maxArchivedRuns` (413 `too_many_runs`): each
 * can hold a full workbook, so without a cap restarts would grow storage without bound.
 */
export async function restartWorkbook(db: Kysely<DB>, userId: number, maxArchivedRuns = Number.POSITIVE_INFINITY): Promise<WorkbookState> {
  try {
    const restarted = db.transaction().execute(async (trx) => {
      const live = await store.findLiveRun(trx, userId);
      // Two restarts at once archive the same live run, which only one of them can (below), so
      // the count read here cannot be passed by a parallel restart.
      if (live && (await store.countArchivedRuns(trx, userId)) >= maxArchivedRuns) throw tooManyRuns(maxArchivedRuns);
      const now = nowIso();
      if (live && !(await store.archiveRun(trx, live.id, now))) return null;
      const run = await store.insertRun(trx, {
        user_id: userId,
        flow_version: PS101_FLOW.version,
        current_step: 1,
        answers: '{}',
        completed_at: null,
        revision: (live?.revision ?? 0) + 1,
        started_at: now,
        updated_at: now,
        archived_at: null,
      });
      return toState(run);
    });
    return (await onMissingReference(restarted, unauthenticated)) ?? (await getWorkbook(db, userId));
  } catch (error) {
    // Another restart (or first save) created the live run first: that run is the fresh one.
    if (isUniqueViolation(error)) return getWorkbook(db, userId);
    throw error;
  }
}

/** Deletes one of the person's archived runs; the live run is not deletable (restart instead). */
export async function deleteWorkbookRun(db: Kysely<DB>, userId: number, runId: number): Promise<void> {
  const run = await store.findRun(db, userId, runId);
  if (!run) throw notFound('workbook run');
  if (run.archived_at === null) {
    throw new AppError(409, 'run_is_live', 'This is the workbook in progress; restart it to archive it instead.');
  }
  await store.deleteArchivedRun(db, userId, runId);
}

export async function listWorkbookRuns(db: Kysely<DB>, userId: number): Promise<RunSummary[]> {
  return (await store.listRuns(db, userId)).map(toSummary);
}

export async function getWorkbookRun(
  db: Kysely<DB>,
  userId: number,
  runId: number,
): Promise<RunSummary & { answers: Answers }> {
  const run = await store.findRun(db, userId, runId);
  if (!run) throw notFound('workbook run');
  return { ...toSummary(run), answers: readJson<Answers>(run.answers) };
}
