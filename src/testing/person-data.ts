import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { nowIso } from '../db/values.js';
import { multipartBody } from './fixtures.js';
import type { TestClient } from './app.js';

// Rows of the workbook and chat tables written straight to the database, so the capabilities
// that read them (matching, export, deletion) can be tested without those capabilities' routes.

export async function seedWorkbookRun(
  db: Kysely<DB>,
  userId: number,
  answers: Record<string, string>,
  options: { archived?: boolean } = {},
): Promise<number> {
  const now = nowIso();
  const row = await db
    .insertInto('ps101_runs')
    .values({
      user_id: userId,
      flow_version: 1,
      current_step: 1,
      revision: 1,
      answers: JSON.stringify(answers),
      started_at: now,
      updated_at: now,
      completed_at: null,
      archived_at: options.archived ? now : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function setLiveAnswers(db: Kysely<DB>, userId: number, answers: Record<string, string>): Promise<void> {
  await db
    .updateTable('ps101_runs')
    .set({ answers: JSON.stringify(answers), updated_at: nowIso() })
    .where('user_id', '=', userId)
    .where('archived_at', 'is', null)
    .execute();
}

/** A chat message; for a coach reply, also its metrics row. Returns the message id. */
export async function seedChatMessage(db: Kysely<DB>, userId: number, role: 'user' | 'coach', content: string): Promise<number> {
  const now = nowIso();
  const message = await db
    .insertInto('chat_messages')
    .values({ user_id: userId, role, content, provider: role === 'coach' ? 'offline' : null, created_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (role === 'coach') {
    await db
      .insertInto('coach_metrics')
      .values({ user_id: userId, message_id: message.id, clarity: 3, action: 2, momentum: 4, created_at: now })
      .execute();
  }
  return message.id;
}

/** A file with its extracted text, written straight to the tables (no upload, no parsing). */
export async function seedFile(db: Kysely<DB>, userId: number, bytes: Buffer, text: string | null): Promise<number> {
  const file = await db
    .insertInto('files')
    .values({
      user_id: userId,
      name: text === null ? 'scan.pdf' : 'notes.txt',
      content_type: text === null ? 'application/pdf' : 'text/plain; charset=utf-8',
      size: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      text_content: text,
      created_at: nowIso(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.insertInto('file_contents').values({ file_id: file.id, content: bytes }).execute();
  return file.id;
}

export const seedTextFile = (db: Kysely<DB>, userId: number, text: string) => seedFile(db, userId, Buffer.from(text), text);

/** Uploads bytes through the API as a browser would (multipart, field `file`). */
export function uploadFile(client: TestClient, bytes: Buffer, name: string, declaredType?: string) {
  const body = multipartBody(bytes, name, declaredType ? { declaredType } : {});
  return client.request({ method: 'POST', url: '/api/files', payload: body.payload, headers: body.headers });
}

export async function countRows(db: Kysely<DB>, table: keyof DB): Promise<number> {
  const row = await db.selectFrom(table).select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}
