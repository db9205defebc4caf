import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';

/**
 * A fixture builder for the predecessor's storage (What Is My Delta), as ../shared/LEGACY.md
 * describes it: its six tables on SQLite or PostgreSQL, and its uploads folder. Values are
 * written as given; `InvalidUtf8` writes raw bytes into a SQLite TEXT column, which SQLite
 * accepts and PostgreSQL cannot hold.
 */

export type SourceKind = 'sqlite' | 'postgres';

export class InvalidUtf8 {
  constructor(readonly bytes: Buffer) {}
}

type Value = string | number | null | InvalidUtf8;
export type LegacyRows = Record<'users' | 'sessions' | 'wimd_outputs' | 'job_matches' | 'resume_versions' | 'file_uploads', Record<string, Value>[]>;

const SQLITE_SCHEMA = `
create table users (id text primary key, email text unique not null, password_hash text not null, created_at timestamp default current_timestamp, last_login timestamp, subscription_tier text, discount_code text);
create table sessions (id text primary key, user_id text references users(id), created_at timestamp default current_timestamp, expires_at timestamp, user_data text);
create table wimd_outputs (id integer primary key autoincrement, session_id text references sessions(id) on delete cascade, prompt text, response text, analysis_data text, metrics text, created_at timestamp default current_timestamp);
create table job_matches (id integer primary key autoincrement, session_id text references sessions(id) on delete cascade, job_id text, company text, role text, fit_score real, skills_match text, values_match text, extras text, created_at timestamp default current_timestamp);
create table resume_versions (id integer primary key autoincrement, session_id text references sessions(id) on delete cascade, job_id text, version_name text, content text, feedback text, created_at timestamp default current_timestamp);
create table file_uploads (id integer primary key autoincrement, session_id text references sessions(id) on delete cascade, filename text, file_path text, file_type text, file_size integer, created_at timestamp default current_timestamp);
`;

// Foreign keys declared but not enforced, as the predecessor's PostgreSQL copies could not have
// orphans otherwise: its move kept rows an unenforcing SQLite had let through.
const POSTGRES_SCHEMA = `
create table users (id text primary key, email text unique not null, password_hash text not null, created_at timestamp default now(), last_login timestamp, subscription_tier text);
create table sessions (id text primary key, user_id text, created_at timestamp default now(), expires_at timestamp, user_data text);
create table wimd_outputs (id serial primary key, session_id text, prompt text, response text, analysis_data text, metrics text, created_at timestamp default now());
create table job_matches (id serial primary key, session_id text, job_id text, company text, role text, fit_score real, skills_match text, values_match text, extras text, created_at timestamp default now());
create table resume_versions (id serial primary key, session_id text, job_id text, version_name text, content text, feedback text, created_at timestamp default now());
create table file_uploads (id serial primary key, session_id text, filename text, file_path text, file_type text, file_size integer, created_at timestamp default now());
`;

export interface LegacySourceDatabase {
  kind: SourceKind;
  /** What `--from` takes: the SQLite file or the postgres:// URL. */
  location: string;
  drop(): Promise<void>;
}

/** The predecessor's password hash of `password`. */
export function legacyPasswordHash(password: string, salt = randomBytes(16).toString('hex')): string {
  return `${createHash('sha256').update(password + salt, 'utf8').digest('hex')}:${salt}`;
}

/** A fresh folder of its own. */
export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

const TABLE_ORDER: (keyof LegacyRows)[] = ['users', 'sessions', 'wimd_outputs', 'job_matches', 'resume_versions', 'file_uploads'];

/** Writes the predecessor's schema and these rows; for PostgreSQL, into a database it creates. */
export async function writeLegacySource(kind: SourceKind, rows: LegacyRows): Promise<LegacySourceDatabase> {
  if (kind === 'sqlite') {
    const dir = tempDir('legacy-source-');
    const file = path.join(dir, 'mosaic.db');
    const db = new BetterSqlite3(file);
    // The predecessor's connections did not turn foreign keys on: that is how orphans came to be.
    db.pragma('foreign_keys = off');
    db.exec(SQLITE_SCHEMA);
    const statements = new Map<string, BetterSqlite3.Statement>();
    db.transaction(() => {
      for (const table of TABLE_ORDER) {
        for (const row of rows[table]) {
          const columns = Object.keys(row);
          // Raw bytes become TEXT without validation, exactly the damage SQLite allows.
          const marks = columns.map((c) => (row[c] instanceof InvalidUtf8 ? 'cast(? as text)' : '?'));
          const values = columns.map((c) => { const v = row[c]; return v instanceof InvalidUtf8 ? v.bytes : v; });
          const text = `insert into ${table} (${columns.join(', ')}) values (${marks.join(', ')})`;
          if (!statements.has(text)) statements.set(text, db.prepare(text));
          statements.get(text)!.run(...values);
        }
      }
    })();
    db.close();
    return { kind, location: file, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const admin = process.env.TEST_DATABASE_URL;
  if (!admin) throw new Error('TEST_DATABASE_URL is not set: run the tests with `npm test`');
  const name = `legacy_src_${process.pid}_${randomBytes(4).toString('hex')}`;
  await withClient(admin, (c) => c.query(`create database ${name}`));
  const url = new URL(admin);
  url.pathname = `/${name}`;
  await withClient(url.toString(), async (c) => {
    await c.query(POSTGRES_SCHEMA);
    await c.query('begin');
    for (const table of TABLE_ORDER) {
      for (const row of rows[table]) {
        const columns = Object.keys(row).filter((col) => !(row[col] instanceof InvalidUtf8));
        await c.query(`insert into ${table} (${columns.join(', ')}) values (${columns.map((_, i) => `$${i + 1}`).join(', ')})`, columns.map((col) => row[col]));
      }
    }
    await c.query('commit');
  });
  return {
    kind,
    location: url.toString(),
    drop: () => withClient(admin, (c) => c.query(`drop database if exists ${name} with (force)`)).then(() => undefined),
  };
}

async function withClient<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** The legacy session ids of the damaged fixture, as the browsers kept them. */
export const SESSIONS = {
  ann: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
  empty: '0123456789abcdef0123456789abcdef',
  badJson: 'b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0',
  arrayJson: 'c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0',
  /** Named by work rows, absent from `sessions`. */
  orphan: 'ffffffffffffffffffffffffffffffff',
};

export const PASSWORDS = { ann: 'ann remembers this', annUpper: 'the other ann', cara: 'cara password 3', dan: 'dan from before' };

/**
 * The predecessor's data with every kind of damage LEGACY.md lists, and the uploads folder its
 * rows point at (plus a secret beside it that no stored path may reach).
 */
export function damagedLegacyData(kind: SourceKind): { rows: LegacyRows; uploads: string; outside: string; cleanup: () => void } {
  const root = tempDir('legacy-uploads-');
  const uploads = path.join(root, 'uploads');
  const outside = path.join(root, 'outside');
  fs.mkdirSync(uploads);
  fs.mkdirSync(outside);
  fs.writeFileSync(path.join(outside, 'secret.txt'), 'a secret outside the uploads folder\n');
  const stored = (name: string) => `${SESSIONS.ann}_20240101120000_${name}`;
  fs.writeFileSync(path.join(uploads, stored('cv.txt')), 'Curriculum vitae of Ann\nExperience: ten years.\n');
  fs.writeFileSync(path.join(uploads, stored('notes.md')), '# Notes\nMoved from another machine.\n');
  fs.writeFileSync(path.join(uploads, stored('short.txt')), 'twelve bytes');
  fs.writeFileSync(path.join(uploads, stored('empty.txt')), '');
  fs.writeFileSync(path.join(uploads, stored('blob.bin')), Buffer.from([0, 159, 146, 150, 0, 1, 2, 3, 255, 254, 0, 7]));
  fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(uploads, stored('link.txt')));

  const rows: LegacyRows = {
    users: [
      { id: 'u-ann', email: 'ann@example.org', password_hash: legacyPasswordHash(PASSWORDS.ann), created_at: '2023-01-05 10:00:00', last_login: '2024-03-01T09:00:00.123456', subscription_tier: 'pro' },
      { id: 'u-ann-upper', email: 'Ann@Example.org', password_hash: legacyPasswordHash(PASSWORDS.annUpper), created_at: '2022-11-01 08:00:00', last_login: '2023-06-01 10:00:00', subscription_tier: null },
      { id: 'u-bob', email: 'bob@example.org', password_hash: 'not-a-hash', created_at: '2023-02-01 00:00:00', last_login: null, subscription_tier: null },
      { id: 'u-cara', email: 'Cara@Example.org', password_hash: legacyPasswordHash(PASSWORDS.cara), created_at: null, last_login: null, subscription_tier: null },
      { id: 'u-dan', email: 'Dan@Example.org', password_hash: legacyPasswordHash(PASSWORDS.dan), created_at: '2023-03-01 00:00:00', last_login: '2023-04-01 00:00:00', subscription_tier: null },
      { id: 'u-nomail', email: 'not an address', password_hash: legacyPasswordHash('whatever1'), created_at: '2023-02-01 00:00:00', last_login: null, subscription_tier: null },
    ],
    sessions: [
      {
        id: SESSIONS.ann,
        user_id: null,
        created_at: '2024-01-01 12:00:00',
        expires_at: null,
        user_data: JSON.stringify({
          ps101_active: true,
          ps101_step: 2,
          ps101_prompt_index: 1,
          ps101_started_at: '2024-01-01T12:00:00.000001',
          ps101_tangent_count: 0,
          ps101_responses: [
            { step: 1, response: 'I want a job with more meaning', timestamp: '2024-01-01T12:01:00.000000' },
            { step: 1, response: 'Today I manage spreadsheets', timestamp: '2024-01-01T12:02:00.000000' },
            { step: 2, response: 'My manager is supportive', timestamp: 'yesterday' },
            { step: 11, response: 'out of range' },
          ],
        }),
      },
      { id: SESSIONS.empty, user_id: null, created_at: '2024-01-02 00:00:00', expires_at: null, user_data: '{}' },
      { id: SESSIONS.badJson, user_id: null, created_at: '2024-01-03T00:00:00', expires_at: null, user_data: '{"ps101_step": 3, "ps101_responses": [' },
      { id: SESSIONS.arrayJson, user_id: null, created_at: null, expires_at: null, user_data: '[1, 2, 3]' },
    ],
    wimd_outputs: [
      { id: 1, session_id: SESSIONS.ann, prompt: 'I feel stuck at work', response: 'Let us name the gap first.', analysis_data: '{}', metrics: '{"clarity": 65, "action": 42, "momentum": 33}', created_at: '2024-01-02 03:04:05' },
      { id: 2, session_id: SESSIONS.ann, prompt: 'I want to help people', response: 'What would helping look like?', analysis_data: null, metrics: '{clarity: 70', created_at: '2024-01-02T03:05:06.789012' },
      { id: 3, session_id: SESSIONS.ann, prompt: 'Maybe teaching', response: 'Tell me more about teaching.', analysis_data: null, metrics: '[1, 2]', created_at: null },
      { id: 4, session_id: SESSIONS.badJson, prompt: 'Hello', response: 'Hi there', analysis_data: null, metrics: '{"clarity": 10, "action": 20, "momentum": 30}', created_at: '2024-01-03 00:10:00' },
      { id: 5, session_id: SESSIONS.orphan, prompt: 'Orphaned question', response: 'Orphaned answer', analysis_data: null, metrics: '{"clarity": 1, "action": 2, "momentum": 3}', created_at: '2024-01-04 00:00:00' },
      { id: 6, session_id: null, prompt: 'Nobody owns this', response: 'Nobody', analysis_data: null, metrics: null, created_at: '2024-01-04 00:00:00' },
      ...(kind === 'sqlite'
        ? [{ id: 7, session_id: SESSIONS.ann, prompt: new InvalidUtf8(Buffer.from([0x43, 0x61, 0x66, 0xe9, 0x20, 0x6f, 0x6b])), response: 'Noted.', analysis_data: null, metrics: '{"clarity": 50, "action": 50, "momentum": 50}', created_at: '2024-01-05 00:00:00' }]
        : []),
    ],
    job_matches: [
      { id: 1, session_id: SESSIONS.ann, job_id: 'delta-strategist', company: 'Acme', role: 'Delta Strategist', fit_score: 0.87, skills_match: '["strategy", "writing"]', values_match: '["growth"]', extras: '{"status": "applied", "status_notes": "Sent my CV", "status_at": "2024-02-01T10:00:00Z"}', created_at: '2024-01-10 10:00:00' },
      { id: 2, session_id: SESSIONS.ann, job_id: 'ops-navigator', company: 'Beta', role: 'Ops Navigator', fit_score: 0.5, skills_match: 'not json', values_match: '[]', extras: 'oops', created_at: '2024-01-10 10:00:00' },
      { id: 3, session_id: SESSIONS.ann, job_id: 'product-scout', company: 'Gamma', role: 'Product Scout', fit_score: null, skills_match: '[]', values_match: '[]', extras: '"applied"', created_at: '2024-01-10 10:00:00' },
    ],
    resume_versions: [
      { id: 1, session_id: SESSIONS.ann, job_id: 'delta-strategist', version_name: 'Base', content: 'My résumé, with results.', feedback: '{"suggestions": ["Add numbers"]}', created_at: '2024-01-11 10:00:00' },
      { id: 2, session_id: SESSIONS.ann, job_id: null, version_name: 'Second', content: 'Another version', feedback: 'plain words, not JSON', created_at: '2024-01-12T10:00:00' },
    ],
    file_uploads: [
      { id: 1, session_id: SESSIONS.ann, filename: 'cv.txt', file_path: `data/uploads/${stored('cv.txt')}`, file_type: 'text/plain', file_size: 47, created_at: '2024-01-01 12:30:00' },
      { id: 2, session_id: SESSIONS.ann, filename: 'notes.md', file_path: `/srv/old-machine/data/uploads/${stored('notes.md')}`, file_type: 'text/markdown', file_size: 36, created_at: '2024-01-01 12:31:00' },
      { id: 3, session_id: SESSIONS.ann, filename: 'secret.txt', file_path: '../outside/secret.txt', file_type: 'text/plain', file_size: 36, created_at: '2024-01-01 12:32:00' },
      { id: 4, session_id: SESSIONS.ann, filename: 'gone.pdf', file_path: `data/uploads/${stored('gone.pdf')}`, file_type: 'application/pdf', file_size: 1000, created_at: '2024-01-01 12:33:00' },
      { id: 5, session_id: SESSIONS.ann, filename: 'short.txt', file_path: `data/uploads/${stored('short.txt')}`, file_type: 'text/plain', file_size: 999, created_at: '2024-01-01 12:34:00' },
      { id: 6, session_id: SESSIONS.ann, filename: 'empty.txt', file_path: `data/uploads/${stored('empty.txt')}`, file_type: 'text/plain', file_size: 0, created_at: '2024-01-01 12:35:00' },
      { id: 7, session_id: SESSIONS.ann, filename: 'link.txt', file_path: `data/uploads/${stored('link.txt')}`, file_type: 'text/plain', file_size: 36, created_at: '2024-01-01 12:36:00' },
      { id: 8, session_id: SESSIONS.ann, filename: 'blob.bin', file_path: `data\\uploads\\${stored('blob.bin')}`, file_type: 'application/octet-stream', file_size: 12, created_at: '2024-01-01 12:37:00' },
    ],
  };
  return { rows, uploads, outside, cleanup: () => fs.rmSync(root, { recursive: true, force: true }) };
}

/**
 * Many people, each with a session, workbook responses and `exchanges` chat exchanges, and a
 * few matches, résumés and files: the volume for the kill test and the benchmark.
 */
export function generatedLegacyData(people: number, exchangesPerPerson: number, uploads: string, filesEvery = 50): LegacyRows {
  const rows: LegacyRows = { users: [], sessions: [], wimd_outputs: [], job_matches: [], resume_versions: [], file_uploads: [] };
  // One real salt and hash for all: hashing is not what is measured, and a fixture of 10,000
  // distinct hashes would only slow the set-up.
  const hash = legacyPasswordHash('generated password');
  let chatId = 0;
  let otherId = 0;
  let fileId = 0;
  for (let p = 0; p < people; p++) {
    const sessionId = createHash('md5').update(`session ${p}`).digest('hex');
    const day = String(1 + (p % 28)).padStart(2, '0');
    rows.users.push({ id: `user-${String(p).padStart(6, '0')}`, email: `person${p}@example.org`, password_hash: hash, created_at: `2024-01-${day} 10:00:00`, last_login: `2024-02-${day}T10:00:00.000000` });
    rows.sessions.push({
      id: sessionId,
      user_id: null,
      created_at: `2024-01-${day} 10:00:00`,
      expires_at: null,
      user_data: JSON.stringify({ ps101_step: 2, ps101_responses: [{ step: 1, response: `Person ${p} names the problem`, timestamp: `2024-01-${day}T10:01:00.000000` }, { step: 1, response: 'and where they are', timestamp: `2024-01-${day}T10:02:00.000000` }] }),
    });
    for (let e = 0; e < exchangesPerPerson; e++) {
      rows.wimd_outputs.push({
        id: ++chatId,
        session_id: sessionId,
        prompt: `Message ${e} from person ${p}: I would like to work on something that matters to me.`,
        response: `Reply ${e}: what would that look like on an ordinary Tuesday?`,
        analysis_data: '{}',
        metrics: '{"clarity": 65, "action": 42, "momentum": 33}',
        created_at: `2024-01-${day}T11:${String(e % 60).padStart(2, '0')}:00.000000`,
      });
    }
    if (p % 10 === 0) {
      rows.job_matches.push({ id: ++otherId, session_id: sessionId, job_id: 'delta-strategist', company: 'Acme', role: 'Delta Strategist', fit_score: 0.8, skills_match: '["strategy"]', values_match: '["growth"]', extras: '{"status": "applied"}', created_at: `2024-01-${day} 12:00:00` });
      rows.resume_versions.push({ id: otherId, session_id: sessionId, job_id: 'delta-strategist', version_name: 'Base', content: 'A résumé.', feedback: '{"suggestions": []}', created_at: `2024-01-${day} 12:00:00` });
    }
    if (p % filesEvery === 0) {
      const name = `${sessionId}_20240101120000_cv.txt`;
      const text = `CV of person ${p}\n`.repeat(50);
      fs.writeFileSync(path.join(uploads, name), text);
      rows.file_uploads.push({ id: ++fileId, session_id: sessionId, filename: 'cv.txt', file_path: `data/uploads/${name}`, file_type: 'text/plain', file_size: Buffer.byteLength(text), created_at: `2024-01-${day} 12:00:00` });
    }
  }
  return rows;
}
