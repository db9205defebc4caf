import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DatabaseConfig } from '../config.js';
import { openDatabase } from '../db/connection.js';
import type { DB } from '../db/schema.js';
import { RATE_LIMITS_RAISED } from './rate-limits.js';

// A mixed load of what people do (logins, workbook saves, chat, uploads, downloads), run by
// real clients against real server processes, recording every write the server acknowledged
// so a test can check afterwards that each one is in the database.

export interface LoadResponse {
  status: number;
  body: any;
  raw: Buffer;
}

/** One person's browser: a cookie-keeping client (HttpClient, ProxyClient). */
export interface LoadClient {
  request(method: string, path: string, body?: unknown): Promise<LoadResponse>;
  upload(bytes: Buffer, name: string): Promise<LoadResponse>;
}

export interface LoadPerson {
  userId: number;
  email: string;
  password: string;
  client: LoadClient;
}

export interface Acknowledged {
  chatMessageIds: number[];
  files: { id: number; sha256: string }[];
  /** The last acknowledged workbook answer per user id. */
  workbooks: Map<number, { revision: number; answer: string }>;
}

export interface MixedLoadResult {
  requests: number;
  /** Every request that got no answer, a 5xx or any other unexpected status, described. */
  failures: string[];
  acknowledged: Acknowledged;
}

/**
 * What a server under the mixed load needs beyond the defaults: every per-hour rate limit out
 * of reach (the people all come from 127.0.0.1), and the password-check budget per address too:
 * checks are reserved before they run (auth/login-throttle.ts), so a dozen people logging in at
 * once, each waiting for Argon2, can hold its 10 reservations with right passwords.
 */
export const MIXED_LOAD_SERVER_ENV = { ...RATE_LIMITS_RAISED, LOGIN_MAX_FAILURES: '1000' };

const expected: Record<string, number> = { login: 200, save: 200, chat: 201, upload: 201, download: 200, me: 200 };
const ACTIONS = ['login', 'save', 'chat', 'upload', 'download', 'me', 'save', 'chat'] as const;

/** Registers `count` people, one client each (from `makeClient`). */
export async function registerPeople(count: number, makeClient: (n: number) => LoadClient, tag = 'load'): Promise<LoadPerson[]> {
  return Promise.all(
    Array.from({ length: count }, async (_, n) => {
      const client = makeClient(n);
      const email = `${tag}-${n}-${Math.random().toString(36).slice(2, 8)}@example.org`;
      const password = 'correct horse battery';
      const response = await client.request('POST', '/api/auth/register', { email, password });
      if (response.status !== 201) throw new Error(`register ${email}: ${response.status} ${JSON.stringify(response.body)}`);
      return { userId: response.body.user.id as number, email, password, client };
    }),
  );
}

/**
 * Each person loops over the actions until `until()` says stop. A write counts as acknowledged
 * only when its success answer arrived; a failure is recorded and the person goes on.
 */
export async function runMixedLoad(people: LoadPerson[], until: () => boolean): Promise<MixedLoadResult> {
  const result: MixedLoadResult = { requests: 0, failures: [], acknowledged: { chatMessageIds: [], files: [], workbooks: new Map() } };
  await Promise.all(
    people.map(async (person, n) => {
      let revision = 0;
      const uploaded: { id: number; bytes: Buffer }[] = [];
      for (let i = n; !until(); i++) {
        const action = ACTIONS[i % ACTIONS.length]!;
        const stamp = `${person.email} #${i}`;
        let response: LoadResponse;
        result.requests++;
        try {
          if (action === 'login') response = await person.client.request('POST', '/api/auth/login', { email: person.email, password: person.password });
          else if (action === 'save') response = await person.client.request('PUT', '/api/ps101', { revision, answers: { '1.1': stamp } });
          else if (action === 'chat') response = await person.client.request('POST', '/api/chat/messages', { content: `hello ${stamp}` });
          else if (action === 'upload') response = await person.client.upload(Buffer.from(`notes of ${stamp}\n`), `notes-${i}.txt`);
          else if (action === 'download' && uploaded.length > 0) {
            const file = uploaded[i % uploaded.length]!;
            response = await person.client.request('GET', `/api/files/${file.id}/content`);
            if (response.status === 200 && !response.raw.equals(file.bytes)) {
              result.failures.push(`download ${file.id}: other bytes`);
              continue;
            }
          } else response = await person.client.request('GET', '/api/auth/me');
        } catch (error) {
          result.failures.push(`${action}: no answer (${(error as Error).message})`);
          continue;
        }
        const want = action === 'download' && uploaded.length === 0 ? expected.me : expected[action];
        if (response.status !== want) {
          result.failures.push(`${action}: ${response.status} ${JSON.stringify(response.body).slice(0, 200)}`);
          continue;
        }
        if (action === 'save') {
          revision = response.body.revision;
          result.acknowledged.workbooks.set(person.userId, { revision, answer: stamp });
        }
        if (action === 'chat') result.acknowledged.chatMessageIds.push(response.body.message.id);
        if (action === 'upload') {
          const bytes = Buffer.from(`notes of ${stamp}\n`);
          uploaded.push({ id: response.body.file.id, bytes });
          result.acknowledged.files.push({ id: response.body.file.id, sha256: createHash('sha256').update(bytes).digest('hex') });
        }
      }
    }),
  );
  return result;
}

/** The acknowledged writes missing from the database (an empty list when none is lost). */
export async function lostWrites(db: Kysely<DB>, acknowledged: Acknowledged): Promise<string[]> {
  const lost: string[] = [];
  const chatIds = acknowledged.chatMessageIds;
  for (let i = 0; i < chatIds.length; i += 500) {
    const slice = chatIds.slice(i, i + 500);
    const rows = await db.selectFrom('chat_messages').select('id').where('id', 'in', slice).execute();
    const found = new Set(rows.map((r) => Number(r.id)));
    for (const id of slice) if (!found.has(id)) lost.push(`chat message ${id}`);
  }
  for (const file of acknowledged.files) {
    const row = await db.selectFrom('files').select('sha256').where('id', '=', file.id).executeTakeFirst();
    if (row?.sha256 !== file.sha256) lost.push(`file ${file.id}`);
  }
  for (const [userId, saved] of acknowledged.workbooks) {
    const run = await db
      .selectFrom('ps101_runs')
      .select(['answers', 'revision'])
      .where('user_id', '=', userId)
      .where('archived_at', 'is', null)
      .orderBy('id', 'desc')
      .executeTakeFirst();
    const answers = run ? (JSON.parse(String(run.answers)) as Record<string, string>) : {};
    if (!run || Number(run.revision) < saved.revision || (Number(run.revision) === saved.revision && answers['1.1'] !== saved.answer)) {
      lost.push(`workbook of user ${userId} at revision ${saved.revision}`);
    }
  }
  return lost;
}

/**
 * What a load through a pooler or across a roll must show: no request failed, some of each
 * kind of write was acknowledged, and every acknowledged write is found by a direct connection.
 */
export async function assertNothingFailedOrLost(database: DatabaseConfig, result: MixedLoadResult): Promise<void> {
  assert.deepEqual(result.failures, [], `${result.failures.length} of ${result.requests} requests failed`);
  assert.ok(result.acknowledged.chatMessageIds.length > 0 && result.acknowledged.files.length > 0 && result.acknowledged.workbooks.size > 0);
  const direct = openDatabase(database);
  try {
    assert.deepEqual(await lostWrites(direct.db, result.acknowledged), []);
  } finally {
    await direct.close();
  }
}
