import type { Kysely } from 'kysely';
import { forgetEmailFailures, type ThrottleLimits } from '../auth/login-throttle.js';
import { checkPassword } from '../auth/service.js';
import { forgetUser } from '../limits/service.js';
import type { DB } from '../db/schema.js';
import { nowIso, readJson } from '../db/values.js';
import { unauthenticated } from '../errors.js';
import { toPublicFile } from '../files/service.js';
import { toPublicMatch, toStatusChange } from '../jobs/service.js';
import { toStoredFeedback } from '../resumes/service.js';
import * as store from './store.js';

export const EXPORT_FORMAT_VERSION = 1;

function groupBy<T, K>(items: T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const list = groups.get(key(item));
    if (list) list.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}

/**
 * Everything the person owns, as one JSON document, read in one transaction so the parts agree
 * (repeatable read on PostgreSQL; a SQLite transaction is a snapshot already). The password
 * hash and session token hashes are credentials, not data, and are left out.
 */
export async function exportAccount(db: Kysely<DB>, userId: number, options: { includeFiles: boolean }) {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      const account = await store.findAccount(trx, userId);
      if (!account) throw unauthenticated();
      const [sessions, runs, messages, metrics, matches, events, resumes, feedback, files] = await Promise.all([
        store.listSessions(trx, userId),
        store.listWorkbookRuns(trx, userId),
        store.listChatMessages(trx, userId),
        store.listCoachMetrics(trx, userId),
        store.listJobMatches(trx, userId),
        store.listJobMatchEvents(trx, userId),
        store.listResumes(trx, userId),
        store.listResumeFeedback(trx, userId),
        store.listFiles(trx, userId),
      ]);
      const contents = options.includeFiles
        ? new Map((await store.listFileContents(trx, userId)).map((row) => [row.file_id, Buffer.from(row.content)]))
        : null;
      const eventsByMatch = groupBy(events, (event) => event.job_match_id);
      const feedbackByResume = groupBy(feedback, (row) => row.resume_id);
      return {
        formatVersion: EXPORT_FORMAT_VERSION,
        exportedAt: nowIso(),
        account: {
          id: account.id,
          email: account.email,
          guest: account.email === null,
          createdAt: account.created_at,
          updatedAt: account.updated_at,
          lastActiveAt: account.last_active_at,
        },
        sessions: sessions.map((s) => ({
          id: s.id,
          createdAt: s.created_at,
          expiresAt: s.expires_at,
          refreshedAt: s.refreshed_at,
          userAgent: s.user_agent,
          ip: s.ip,
        })),
        workbook: {
          runs: runs.map((run) => ({
            id: run.id,
            flowVersion: run.flow_version,
            currentStep: run.current_step,
            revision: run.revision,
            answers: readJson<Record<string, unknown>>(run.answers),
            startedAt: run.started_at,
            updatedAt: run.updated_at,
            completedAt: run.completed_at,
            archivedAt: run.archived_at,
          })),
        },
        chat: {
          messages: messages.map((m) => ({ id: m.id, role: m.role, content: m.content, provider: m.provider, createdAt: m.created_at })),
          metrics: metrics.map((m) => ({
            id: m.id,
            messageId: m.message_id,
            clarity: m.clarity,
            action: m.action,
            momentum: m.momentum,
            createdAt: m.created_at,
          })),
        },
        jobMatches: matches.map((row) => ({
          ...toPublicMatch(row),
          history: (eventsByMatch.get(row.id) ?? []).map(toStatusChange),
        })),
        resumes: resumes.map((row) => ({
          id: row.id,
          name: row.name,
          content: row.content,
          fileId: row.file_id,
          jobMatchId: row.job_match_id,
          createdAt: row.created_at,
          updatedAt: row.updated_at,
          feedback: (feedbackByResume.get(row.id) ?? []).map(toStoredFeedback),
        })),
        files: files.map((row) => ({
          ...toPublicFile(row, row.text_content !== null),
          textContent: row.text_content,
          ...(contents ? { contentBase64: contents.get(row.id)?.toString('base64') ?? null } : {}),
        })),
      };
    });
}

export type AccountExport = Awaited<ReturnType<typeof exportAccount>>;

/**
 * Deletes the account and everything it owns in one transaction. A registered account must
 * confirm with its password; a guest has none, and holding the guest's session is all the
 * proof of ownership there is, so a guest deletes without one.
 */
export async function deleteAccount(
  db: Kysely<DB>,
  userId: number,
  confirmation: { password: string | undefined; ip: string },
  limits: ThrottleLimits,
): Promise<void> {
  const account = await store.findAccount(db, userId);
  if (!account) throw unauthenticated();
  if (account.password_hash !== null) await checkPassword(db, account, confirmation.password, confirmation.ip, limits);
  await db.transaction().execute(async (trx) => {
    // Counters naming the person (their email, their id) go with the account.
    if (account.email !== null) {
      await forgetEmailFailures(trx, account.email, limits);
      await store.deleteOldLoginFailures(trx, account.email);
    }
    await forgetUser(trx, userId);
    await store.deleteUser(trx, userId);
  });
}
