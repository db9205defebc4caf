import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { isPostgres } from '../db/migrations/columns.js';
import { openDatabase, type Backend } from '../db/connection.js';
import { migrateToLatest } from '../db/migrate.js';
import type { DB } from '../db/schema.js';
import { createTestDatabase, type TestDatabase } from './databases.js';

/**
 * Realistic rows for every table, edge cases included, inserted with SQL (not the API) so a
 * copy test sees exactly what it wrote. A table added by a later migration must get rows
 * here: the round-trip test fails for any table without them.
 */

const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
// Large text with every character the COPY text format escapes, and more.
const LARGE_TEXT = `Tab\there, newline\nthere, CR\r, backslash \\ and \\N, quotes '" — ü 漢字 🎉\n`.repeat(14_000);
const NESTED_JSON = JSON.stringify({
  '1.1': 'Ich möchte Menschen helfen 🤝',
  '1.2': '',
  nested: { list: [1, 2.5, { deep: [null, true, false, 'x\ny'] }], emoji: '😀', quote: 'say "hi" \\ bye' },
});
// JSON kept as written, spacing included: the `json` type preserves the text.
const SPACED_JSON = '{ "summary" : "Strong verbs",\n  "items": [ {"line": 3, "tip": "Quantify 📈"} ] }';

let t = Date.UTC(2026, 0, 2, 3, 4, 5, 6);
/** Distinct timestamps with milliseconds. */
const ts = () => new Date((t += 1_234_567)).toISOString();

export const FIXTURES: { [T in keyof DB]: Record<string, unknown>[] } = {
  users: [
    { id: 1, email: 'zoë+😀@example.org', password_hash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA', created_at: ts(), updated_at: ts(), last_active_at: ts(), email_verified_at: ts() },
    { id: 2, email: null, password_hash: null, created_at: ts(), updated_at: ts(), last_active_at: ts(), email_verified_at: null },
    // A gap in ids, and an empty string apart from NULL.
    { id: 7, email: '', password_hash: '', created_at: '1999-12-31T23:59:59.999Z', updated_at: ts(), last_active_at: ts(), email_verified_at: null },
  ],
  sessions: [
    { id: 1, user_id: 1, token_hash: 'a'.repeat(64), created_at: ts(), expires_at: ts(), refreshed_at: ts(), user_agent: 'Mozilla/5.0 (X11; Linux) 🦊', ip: '::1' },
    { id: 3, user_id: 7, token_hash: 'b'.repeat(64), created_at: ts(), expires_at: ts(), refreshed_at: ts(), user_agent: null, ip: '' },
  ],
  login_failures: [
    { id: 1, subject: 'email:zoë+😀@example.org', failed_at: ts() },
    { id: 2, subject: 'ip:203.0.113.9', failed_at: ts() },
  ],
  rate_limits: [
    { bucket: 'password-checks-email:zoë+😀@example.org', hits: 3, window_start: ts(), expires_at: ts() },
    { bucket: 'uploads:user:1', hits: 2147483647, window_start: ts(), expires_at: ts() },
    { bucket: '', hits: 0, window_start: ts(), expires_at: ts() },
  ],
  login_devices: [
    { user_id: 1, token_hash: 'f'.repeat(64), last_login_at: ts() },
    { user_id: 7, token_hash: 'f'.repeat(64), last_login_at: '1999-12-31T23:59:59.999Z' },
  ],
  ps101_runs: [
    { id: 1, user_id: 1, flow_version: 1, current_step: 3, revision: 12, answers: NESTED_JSON, started_at: ts(), updated_at: ts(), completed_at: null, archived_at: ts() },
    { id: 2, user_id: 1, flow_version: 2, current_step: 1, revision: 0, answers: '{}', started_at: ts(), updated_at: ts(), completed_at: ts(), archived_at: null },
  ],
  chat_messages: [
    { id: 1, user_id: 1, role: 'user', content: 'Bonjour 👋 — can you help me change careers?', provider: null, created_at: ts() },
    { id: 2, user_id: 1, role: 'coach', content: LARGE_TEXT, provider: 'offline', created_at: ts() },
    { id: 5, user_id: 7, role: 'user', content: '', provider: '', created_at: ts() },
    { id: 6, user_id: 7, role: 'user', content: '\\N', provider: null, created_at: ts() },
  ],
  coach_metrics: [{ id: 1, user_id: 1, message_id: 2, clarity: 3, action: -2147483648, momentum: 2147483647, created_at: ts() }],
  files: [
    { id: 1, user_id: 1, name: 'CV – Zoë 📄.pdf', content_type: 'application/pdf', size: 256, sha256: 'c'.repeat(64), text_content: LARGE_TEXT.slice(0, 5000), created_at: ts() },
    { id: 2, user_id: 1, name: 'empty.txt', content_type: 'text/plain', size: 0, sha256: 'd'.repeat(64), text_content: null, created_at: ts() },
    { id: 3, user_id: 7, name: 'random.bin', content_type: 'application/octet-stream', size: 1_048_576, sha256: 'e'.repeat(64), text_content: '', created_at: ts() },
  ],
  file_contents: [
    { file_id: 1, content: ALL_BYTES },
    { file_id: 2, content: Buffer.alloc(0) },
    { file_id: 3, content: randomBytes(1_048_576) },
  ],
  job_matches: [
    { id: 1, user_id: 1, role_id: 'ux-designer', title: 'UX Designer', field: 'Design', score: 0.1 + 0.2, rank: 1, matched_skills: '["empathy","Figma","ü"]', matched_values: '[]', matched_words: '["ux","research","interviews"]', current: true, status: 'applied', notes: 'Call back Tuesday\n— ✅', created_at: ts(), updated_at: ts() },
    { id: 2, user_id: 1, role_id: 'data-analyst', title: 'Data Analyst', field: 'Data', score: 1e-300, rank: null, matched_skills: '[]', matched_values: '["curiosity"]', current: false, status: null, notes: null, created_at: ts(), updated_at: ts() },
    { id: 4, user_id: 7, role_id: 'teacher', title: 'Teacher', field: 'Education', score: 123456.789, rank: 3, matched_skills: '[ "patience" ]', matched_values: '["service"]', current: true, status: '', notes: '', created_at: ts(), updated_at: ts() },
  ],
  job_match_events: [
    { id: 1, job_match_id: 1, from_status: null, to_status: 'saved', notes: null, created_at: ts() },
    { id: 2, job_match_id: 1, from_status: 'saved', to_status: 'applied', notes: 'Sent 📨', created_at: ts() },
  ],
  tracked_jobs: [
    { id: 1, user_id: 1, title: 'UX Researcher — Zoë & Co 🎯', company: 'Acme "Design"', url: 'https://example.org/jobs/1?x=ü&y=1', location: 'Zürich\nremote', salary: '£40–45k', deadline: '2026-02-28', contact: 'ana@example.org', notes: LARGE_TEXT.slice(0, 10_000), status: 'interviewing', role_id: 'ux-designer', version: 3, status_changed_at: ts(), created_at: ts(), updated_at: ts() },
    { id: 3, user_id: 7, title: 'x', company: null, url: null, location: null, salary: null, deadline: null, contact: null, notes: '\\N', status: 'saved', role_id: null, version: 1, status_changed_at: ts(), created_at: ts(), updated_at: ts() },
  ],
  tracked_job_events: [
    { id: 1, tracked_job_id: 1, from_status: null, to_status: 'saved', created_at: ts() },
    { id: 2, tracked_job_id: 1, from_status: 'saved', to_status: 'interviewing', created_at: ts() },
    { id: 4, tracked_job_id: 3, from_status: null, to_status: 'saved', created_at: ts() },
  ],
  resumes: [
    { id: 1, user_id: 1, name: 'Base résumé', content: LARGE_TEXT.slice(0, 20_000), file_id: 1, job_match_id: 1, created_at: ts(), updated_at: ts(), revision: 3 },
    { id: 2, user_id: 7, name: '', content: '', file_id: null, job_match_id: null, created_at: ts(), updated_at: ts(), revision: 1 },
  ],
  resume_feedback: [
    { id: 1, resume_id: 1, feedback: SPACED_JSON, created_at: ts() },
    { id: 2, resume_id: 2, feedback: '{"deep":{"a":{"b":{"c":[[[]]]}}}}', created_at: ts() },
  ],
  resume_versions: [
    // Version 1 was pruned: the kept history has a gap at the start.
    { id: 4, resume_id: 1, revision: 2, content: LARGE_TEXT.slice(0, 9_000), created_at: ts() },
    { id: 5, resume_id: 1, revision: 3, content: LARGE_TEXT.slice(0, 20_000), created_at: ts() },
    { id: 6, resume_id: 2, revision: 1, content: '', created_at: ts() },
  ],
  legacy_accounts: [
    { legacy_id: '6f1c2a3e-8b1d-4c6e-9f00-0123456789ab', user_id: 1, email: 'zoë+😀@example.org', imported_at: ts() },
    { legacy_id: 'gone-user', user_id: null, email: 'gone@example.org', imported_at: ts() },
  ],
  legacy_sessions: [
    { session_hash: 'f'.repeat(64), imported_at: ts(), claimed_at: null, claimed_by: null, removed_at: null },
    { session_hash: '0'.repeat(64), imported_at: ts(), claimed_at: ts(), claimed_by: 1, removed_at: null },
  ],
  legacy_items: [
    { id: 1, session_hash: 'f'.repeat(64), kind: 'chat', legacy_id: 'wimd_outputs:1', created_at: ts(), data: NESTED_JSON, content: null },
    { id: 2, session_hash: 'f'.repeat(64), kind: 'file', legacy_id: 'file_uploads:7', created_at: ts(), data: '{}', content: ALL_BYTES },
  ],
  mail_outbox: [
    { id: 1, kind: 'password_reset', recipient: 'zoë+😀@example.org', subject: 'Réinitialiser — 🔑', text_body: `Line one\r\nhttps://mosaic.example.org/reset-password#token=${'t'.repeat(43)}\n`, html_body: '<p style="margin:0">Bonjour &amp; 👋</p>', request_id: 'req-1', state: 'pending', attempts: 2, created_at: ts(), next_attempt_at: ts(), give_up_at: ts(), finished_at: null, last_error: 'connect ECONNREFUSED 127.0.0.1:2525' },
    { id: 3, kind: 'email_changed', recipient: 'old@example.org', subject: '', text_body: '', html_body: '', request_id: null, state: 'sent', attempts: 1, created_at: ts(), next_attempt_at: ts(), give_up_at: ts(), finished_at: ts(), last_error: null },
  ],
  account_tokens: [
    { id: 1, user_id: 1, purpose: 'password_reset', token_hash: 'f'.repeat(64), email: 'zoë+😀@example.org', created_at: ts(), expires_at: ts() },
    { id: 2, user_id: 7, purpose: 'change_email', token_hash: '0'.repeat(64), email: 'new@example.org', created_at: ts(), expires_at: ts() },
  ],
};

/** Inserts every fixture row, parents first (the object's order). */
export async function insertFixtures(db: Kysely<DB>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const [table, rows] of Object.entries(FIXTURES)) {
      if (rows.length > 0) await trx.insertInto(table as keyof DB).values(rows as never).execute();
      // Explicit ids leave PostgreSQL's identity behind; later inserts must not collide.
      if (isPostgres(trx) && 'id' in rows[0]!) {
        await sql`select setval(pg_get_serial_sequence(${table}, 'id'), (select max(id) from ${sql.table(table)}))`.execute(trx);
      }
    }
  });
}

/** Test databases made during a suite, dropped together by `dropAll` (in `after`). */
export function testDatabases() {
  const made: TestDatabase[] = [];
  const fresh = async (backend: Backend) => {
    const database = await createTestDatabase(backend);
    made.push(database);
    return database;
  };
  return {
    fresh,
    /** A migrated database holding every fixture row. */
    seeded: async (backend: Backend) => {
      const database = await fresh(backend);
      const opened = openDatabase(database.config);
      try {
        await migrateToLatest(opened.db);
        await insertFixtures(opened.db);
      } finally {
        await opened.close();
      }
      return database;
    },
    dropAll: async () => {
      for (const database of made.splice(0)) await database.drop();
    },
  };
}
