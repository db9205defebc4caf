import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import { onMissingReference } from '../db/errors.js';
import type { DB } from '../db/schema.js';
import { nowIso, readJson } from '../db/values.js';
import { notFound, unauthenticated } from '../errors.js';
import * as claims from './claim-store.js';
import { emptyCounts, LEGACY_FLOW_VERSION, type ChatItem, type FileItem, type JobMatchItem, type Ps101Item, type ResumeItem, type WorkCounts } from './items.js';
import { sessionHash } from './mapping.js';
import * as store from './store.js';

// Unknown, already claimed and removed answer alike: a session id tells nobody anything about
// what it once held or who took it.
const noSuchWork = () => notFound('work from the earlier version');

// Items are copied a page at a time: a person's files may be many megabytes (a page of
// uploads at MAX_UPLOAD_MB each stays in the low hundreds of MB at worst).
const CLAIM_PAGE = 20;

/** What is waiting under a legacy session id, without claiming it. */
export async function previewLegacyWork(db: Kysely<DB>, sessionId: string): Promise<WorkCounts> {
  const summary = await store.unclaimedSummary(db, sessionHash(sessionId));
  if (!summary) throw noSuchWork();
  const counts = countsOf(summary.kinds);
  counts.workbookResponses = summary.workbooks.reduce((n, data) => n + readJson<Ps101Item>(data).responses.length, 0);
  if (Object.values(counts).every((n) => n === 0)) throw noSuchWork();
  return counts;
}

function countsOf(kinds: { kind: string; count: number }[]): WorkCounts {
  const counts = emptyCounts();
  for (const { kind, count } of kinds) {
    if (kind === 'chat') counts.chatExchanges = count;
    else if (kind === 'job_match') counts.jobMatches = count;
    else if (kind === 'resume') counts.resumes = count;
    else if (kind === 'file') counts.files = count;
  }
  return counts;
}

/**
 * Moves the work of a legacy session into the caller's account, in one transaction: the
 * session is marked claimed first (so of two claims at once exactly one finds it open), its
 * items are copied into the person's tables, then deleted. Presenting the session id is the
 * proof of ownership: it was the predecessor's bearer secret, held only by that browser.
 */
export async function claimLegacyWork(db: Kysely<DB>, userId: number, sessionId: string): Promise<WorkCounts> {
  const hash = sessionHash(sessionId);
  const now = nowIso();
  const claim = db.transaction().execute(async (trx) => {
    if (!(await store.markClaimed(trx, hash, userId, now))) throw noSuchWork();
    const counts = emptyCounts();
    const matchByJobId = new Map<string, number>();
    let after = 0;
    for (;;) {
      const page = await store.itemsPage(trx, hash, after, CLAIM_PAGE);
      if (page.length === 0) break;
      for (const item of page) await copyItem(trx, userId, item, counts, matchByJobId, now);
      after = page[page.length - 1]!.id;
    }
    await store.deleteItems(trx, hash);
    return counts;
  });
  // The account may have been deleted while the claim ran: 401, and nothing was claimed.
  return onMissingReference(claim, unauthenticated);
}

async function copyItem(trx: Kysely<DB>, userId: number, item: store.ItemRow, counts: WorkCounts, matchByJobId: Map<string, number>, now: string): Promise<void> {
  const at = item.created_at;
  switch (item.kind) {
    case 'ps101': {
      const run = readJson<Ps101Item>(item.data);
      // An archived run of its own: the predecessor's prompts were not Mosaic's, so its answers
      // are shown by step and position (see web/src/workbook/PastRunScreen.tsx), never under
      // Mosaic's wording, and the live workbook is left as the person has it.
      const answers = Object.fromEntries(run.responses.map((r) => [`${r.step}.${r.position}`, r.text]));
      const times = run.responses.flatMap((r) => (r.at ? [r.at] : [])).sort();
      await claims.insertRun(trx, {
        userId,
        flowVersion: LEGACY_FLOW_VERSION,
        currentStep: run.currentStep,
        answers: JSON.stringify(answers),
        startedAt: run.startedAt ?? at,
        updatedAt: times[times.length - 1] ?? run.startedAt ?? at,
        completedAt: run.completedAt,
        archivedAt: now,
      });
      counts.workbookResponses += run.responses.length;
      return;
    }
    case 'chat': {
      const exchange = readJson<ChatItem>(item.data);
      if (exchange.prompt) await claims.insertMessage(trx, { userId, role: 'user', content: exchange.prompt, provider: null, createdAt: at });
      if (exchange.response) {
        const replyId = await claims.insertMessage(trx, { userId, role: 'coach', content: exchange.response, provider: 'legacy', createdAt: at });
        if (exchange.metrics) await claims.insertMetrics(trx, { userId, messageId: replyId, ...exchange.metrics, createdAt: at });
      }
      counts.chatExchanges++;
      return;
    }
    case 'job_match': {
      const match = readJson<JobMatchItem>(item.data);
      const matchId = await claims.insertMatch(trx, {
        userId,
        // Unique per legacy row: the predecessor's roles are not in Mosaic's catalogue.
        roleId: `legacy-${item.legacy_id.split(':')[1]}`,
        title: match.role,
        field: match.company,
        score: match.score,
        skills: match.skills,
        values: match.values,
        status: match.status,
        notes: match.notes,
        createdAt: at,
        updatedAt: match.statusAt ?? at,
      });
      await claims.insertMatchEvent(trx, { matchId, toStatus: match.status, notes: match.notes, createdAt: match.statusAt ?? at });
      if (match.jobId) matchByJobId.set(match.jobId, matchId);
      counts.jobMatches++;
      return;
    }
    case 'resume': {
      const resume = readJson<ResumeItem>(item.data);
      const resumeId = await claims.insertResume(trx, {
        userId,
        name: resume.name,
        content: resume.content,
        jobMatchId: resume.jobId ? (matchByJobId.get(resume.jobId) ?? null) : null,
        createdAt: at,
      });
      if (resume.feedback !== null) await claims.insertFeedback(trx, { resumeId, document: JSON.stringify(resume.feedback), createdAt: at });
      counts.resumes++;
      return;
    }
    case 'file': {
      const file = readJson<FileItem>(item.data);
      const content = Buffer.isBuffer(item.content) ? item.content : Buffer.from(item.content ?? []);
      await claims.insertFile(trx, { userId, ...file, createdAt: at }, content);
      counts.files++;
      return;
    }
    default:
      throw new Error(`unknown legacy item kind ${item.kind}`);
  }
}

/** The maintenance purge: work unclaimed for LEGACY_CLAIM_DAYS is removed (the session stays, marked). */
export function purgeUnclaimedLegacyWork(db: Kysely<DB>, config: Pick<Config, 'legacyClaimDays'>, now = new Date()): Promise<number> {
  return store.removeUnclaimed(db, new Date(now.getTime() - config.legacyClaimDays * 86_400_000).toISOString(), nowIso(now));
}
