import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';

// The claim writes a person's work into the tables each capability owns, with its own small
// queries (as jobs and account read the workbook), never through another capability's modules.

export async function insertRun(
  db: Kysely<DB>,
  run: { userId: number; flowVersion: number; currentStep: number; answers: string; startedAt: string; updatedAt: string; completedAt: string | null; archivedAt: string },
): Promise<void> {
  await db
    .insertInto('ps101_runs')
    .values({
      user_id: run.userId,
      flow_version: run.flowVersion,
      current_step: run.currentStep,
      revision: 1,
      answers: run.answers,
      started_at: run.startedAt,
      updated_at: run.updatedAt,
      completed_at: run.completedAt,
      archived_at: run.archivedAt,
    })
    .execute();
}

export async function insertMessage(db: Kysely<DB>, message: { userId: number; role: 'user' | 'coach'; content: string; provider: string | null; createdAt: string }): Promise<number> {
  const row = await db
    .insertInto('chat_messages')
    .values({ user_id: message.userId, role: message.role, content: message.content, provider: message.provider, created_at: message.createdAt })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function insertMetrics(db: Kysely<DB>, metrics: { userId: number; messageId: number; clarity: number; action: number; momentum: number; createdAt: string }): Promise<void> {
  await db
    .insertInto('coach_metrics')
    .values({ user_id: metrics.userId, message_id: metrics.messageId, clarity: metrics.clarity, action: metrics.action, momentum: metrics.momentum, created_at: metrics.createdAt })
    .execute();
}

export async function insertMatch(
  db: Kysely<DB>,
  match: { userId: number; roleId: string; title: string; field: string; score: number; skills: string[]; values: string[]; status: string; notes: string | null; createdAt: string; updatedAt: string },
): Promise<number> {
  const row = await db
    .insertInto('job_matches')
    .values({
      user_id: match.userId,
      role_id: match.roleId,
      title: match.title,
      field: match.field,
      score: match.score,
      rank: null,
      matched_skills: JSON.stringify(match.skills),
      matched_values: JSON.stringify(match.values),
      current: false,
      status: match.status,
      notes: match.notes,
      created_at: match.createdAt,
      updated_at: match.updatedAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function insertMatchEvent(db: Kysely<DB>, event: { matchId: number; toStatus: string; notes: string | null; createdAt: string }): Promise<void> {
  await db
    .insertInto('job_match_events')
    .values({ job_match_id: event.matchId, from_status: null, to_status: event.toStatus, notes: event.notes, created_at: event.createdAt })
    .execute();
}

export async function insertResume(
  db: Kysely<DB>,
  resume: { userId: number; name: string; content: string; jobMatchId: number | null; createdAt: string },
): Promise<number> {
  const row = await db
    .insertInto('resumes')
    .values({ user_id: resume.userId, name: resume.name, content: resume.content, file_id: null, job_match_id: resume.jobMatchId, created_at: resume.createdAt, updated_at: resume.createdAt })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function insertFeedback(db: Kysely<DB>, feedback: { resumeId: number; document: string; createdAt: string }): Promise<void> {
  await db.insertInto('resume_feedback').values({ resume_id: feedback.resumeId, feedback: feedback.document, created_at: feedback.createdAt }).execute();
}

export async function insertFile(
  db: Kysely<DB>,
  file: { userId: number; name: string; contentType: string; size: number; sha256: string; text: string | null; createdAt: string },
  content: Buffer,
): Promise<void> {
  const row = await db
    .insertInto('files')
    .values({ user_id: file.userId, name: file.name, content_type: file.contentType, size: file.size, sha256: file.sha256, text_content: file.text, created_at: file.createdAt })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.insertInto('file_contents').values({ file_id: row.id, content }).execute();
}
