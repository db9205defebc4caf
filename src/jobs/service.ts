import { setImmediate } from 'node:timers/promises';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { nowIso, readBool, readJson } from '../db/values.js';
import { onMissingReference } from '../db/errors.js';
import { AppError, notFound, unauthenticated } from '../errors.js';
import { listFileTextHeads } from '../files/service.js';
import { findRole } from './catalogue.js';
import { explainMatch, rankRoles } from './matching.js';
import type { MatchWithHistory, PublicJobMatch, Refresh, RefreshReason, StatusChange } from './responses.js';
import type { MatchStatus } from './statuses.js';
import { addToProfile, emptyProfile } from './text.js';
import * as store from './store.js';
import { lockUserFirst } from '../db/user-lock.js';

export { MATCH_STATUSES, type MatchStatus } from './statuses.js';

/** Only the person's most recent chat messages feed matching, so a long history stays cheap. */
const CHAT_MESSAGES_FOR_MATCHING = 1000;
/** The newest files, and the start of each, are what matching reads of the person's uploads. */
const FILES_FOR_MATCHING = { files: 50, chars: 20_000 };
/**
 * Matching runs on the event loop, so the text it tokenizes is capped whatever the person
 * stored: 400,000 characters tokenize in about 40 ms, where a user with 200 long files used to
 * hold every other request for seconds. The workbook comes first, then the newest chat, then
 * files, so what the person wrote on purpose always counts.
 */
export const MATCHING_INPUT_MAX_CHARS = 400_000;

/** The texts in order, the last one that fits cut short, none past the budget. */
export function withinBudget(texts: Iterable<string>, budget: number): string[] {
  const kept: string[] = [];
  let left = budget;
  for (const text of texts) {
    if (left <= 0) break;
    kept.push(text.length > left ? text.slice(0, left) : text);
    left -= text.length;
  }
  return kept;
}

export function toPublicMatch(row: store.JobMatchRow): PublicJobMatch {
  const matchedValues = readJson<string[]>(row.matched_values);
  // Rows ranked before the person's words were kept name the matched skills instead.
  const matchedWords = row.matched_words === null ? readJson<string[]>(row.matched_skills) : readJson<string[]>(row.matched_words);
  return {
    id: row.id,
    roleId: row.role_id,
    title: row.title,
    field: row.field,
    score: row.score,
    rank: row.rank,
    current: readBool(row.current),
    matchedSkills: readJson<string[]>(row.matched_skills),
    matchedValues,
    matchedWords,
    explanation: explainMatch(matchedWords, matchedValues),
    entryPaths: findRole(row.role_id)?.entryPaths ?? [],
    status: row.status as MatchStatus | null,
    notes: row.notes,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toStatusChange(row: store.JobMatchEventRow): StatusChange {
  return {
    fromStatus: row.from_status as MatchStatus | null,
    toStatus: row.to_status as MatchStatus,
    notes: row.notes,
    createdAt: row.created_at,
  };
}

/** Everything the person has told Mosaic, as text: workbook answers, own chat messages, file text. */
export async function matchingInput(db: Kysely<DB>, userId: number): Promise<string[]> {
  return withinBudget(
    [
      ...(await store.readWorkbookAnswers(db, userId)),
      ...(await store.readUserChat(db, userId, CHAT_MESSAGES_FOR_MATCHING)),
      ...(await listFileTextHeads(db, userId, FILES_FOR_MATCHING)),
    ],
    MATCHING_INPUT_MAX_CHARS,
  );
}

/**
 * Scores the catalogue against the person's text and stores the top results in one
 * transaction. Roles the person tracks keep status, notes and history even when they drop out
 * (then `current` is false); untracked roles that drop out are removed. With no text at all
 * the result is empty with reason `no_input`; with text that matches nothing, `no_match`.
 */
export async function refreshMatches(
  db: Kysely<DB>,
  userId: number,
): Promise<Refresh> {
  // One text at a time (each at most 20,000 characters), letting other requests run between.
  const profile = emptyProfile();
  for (const text of await matchingInput(db, userId)) {
    addToProfile(profile, text);
    await setImmediate();
  }
  const ranked = rankRoles(profile);
  const now = nowIso();
  const stored = db.transaction().execute(async (trx) => {
    await lockUserFirst(trx, userId);
    for (const entry of ranked) {
      await store.upsertRankedMatch(
        trx,
        userId,
        {
          roleId: entry.role.id,
          title: entry.role.title,
          field: entry.role.field,
          score: entry.score,
          rank: entry.rank,
          matchedSkills: entry.matchedSkills,
          matchedValues: entry.matchedValues,
          matchedWords: entry.matchedWords,
        },
        now,
      );
    }
    await store.retireUnranked(trx, userId, ranked.map((entry) => entry.role.id), now);
  });
  await onMissingReference(stored, unauthenticated);
  const reason: RefreshReason = profile.counts.size === 0 ? 'no_input' : ranked.length === 0 ? 'no_match' : null;
  return { matches: await listMatches(db, userId), reason };
}

export async function listMatches(db: Kysely<DB>, userId: number): Promise<PublicJobMatch[]> {
  return (await store.listMatches(db, userId)).map(toPublicMatch);
}

export async function getMatch(
  db: Kysely<DB>,
  userId: number,
  matchId: number,
): Promise<MatchWithHistory> {
  const row = await store.findMatch(db, userId, matchId);
  if (!row) throw notFound('job match');
  const history = (await store.listEvents(db, [row.id])).map(toStatusChange);
  return { ...toPublicMatch(row), history };
}

/** The owner's match row, for other capabilities (résumé feedback); throws 404 otherwise. */
export async function requireMatch(db: Kysely<DB>, userId: number, matchId: number): Promise<store.JobMatchRow> {
  const row = await store.findMatch(db, userId, matchId);
  if (!row) throw notFound('job match');
  return row;
}

/**
 * Status changes one person's history may hold, across all matches. Every change can carry
 * 5,000 characters of notes and nothing else bounds how often a status may change, so without
 * this a person could grow the history without end. Past it a status change is refused (413
 * `history_full`); the history is the person's record and is never trimmed behind their back.
 */
export const HISTORY_MAX_PER_USER = 1_000;

/**
 * Sets the tracking status (and notes, when given). A status change appends to the history in
 * the same transaction; re-sending the same status only updates the notes.
 */
export async function trackMatch(
  db: Kysely<DB>,
  userId: number,
  matchId: number,
  change: { status: MatchStatus; notes?: string | null | undefined },
): Promise<MatchWithHistory> {
  await db.transaction().execute(async (trx) => {
    await lockUserFirst(trx, userId);
    const row = await store.findMatchForUpdate(trx, userId, matchId);
    if (!row) throw notFound('job match');
    const now = nowIso();
    const notes = change.notes === undefined ? undefined : change.notes?.trim() || null;
    await store.updateTracking(trx, row.id, { status: change.status, notes, now });
    if (row.status !== change.status) {
      if ((await store.countEvents(trx, userId)) >= HISTORY_MAX_PER_USER) {
        throw new AppError(413, 'history_full', `Your application history holds ${HISTORY_MAX_PER_USER.toLocaleString('en')} status changes, its limit.`, {
          maxChanges: HISTORY_MAX_PER_USER,
        });
      }
      await store.insertEvent(trx, {
        job_match_id: row.id,
        from_status: row.status,
        to_status: change.status,
        notes: notes ?? null,
        created_at: now,
      });
    }
  });
  return getMatch(db, userId, matchId);
}
