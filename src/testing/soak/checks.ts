import { sql } from 'kysely';
import type { Database } from '../../db/connection.js';
import type { Ledger } from './ledger.js';
import { sha256, type Person } from './people.js';
import type { Workload } from './workload.js';

/** Tables holding a person's rows directly (the rest hang off these). */
const OWNED_TABLES = ['sessions', 'ps101_runs', 'chat_messages', 'coach_metrics', 'files', 'job_matches', 'resumes'] as const;

/**
 * Checks through the API, on a server started after the last kill, that everything each person
 * was told was written is there and intact, that nothing refused was stored, and that what
 * got no answer is there wholly or not at all.
 */
export async function checkPeopleThroughApi(people: Person[], workload: Workload, ledger: Ledger): Promise<void> {
  for (const person of people) {
    // Settles what got no answer, and checks the workbook of everyone still there.
    await workload.settle(person);
    const me = await person.look('GET', '/api/auth/me');
    if (person.state === 'deleted' || person.state === 'never created') {
      ledger.check(me.status === 401, () => `person ${person.number} (${person.state}): their session answers ${me.status}`);
      if (person.email) {
        const login = await person.look('POST', '/api/auth/login', { email: person.email, password: person.password });
        ledger.check(login.status === 401, () => `person ${person.number} (${person.state}): login answers ${login.status}`);
      }
      continue;
    }
    ledger.check(me.status === 200 && me.body.user.id === person.userId, () => `person ${person.number}: the acknowledged session answers ${me.status}`);
    if (person.email) {
      const login = await person.look('POST', '/api/auth/login', { email: person.email, password: person.password });
      ledger.check(login.status === 200, () => `person ${person.number}: login answers ${login.status}`);
    }
    await checkFiles(person, ledger);
    await checkChat(person, ledger);
    await checkMatches(person, ledger);
    await checkResumes(person, ledger);
  }
}

async function checkFiles(person: Person, ledger: Ledger): Promise<void> {
  const { files: listed } = (await person.look('GET', '/api/files')).body as { files: { id: number; sha256: string; size: number }[] };
  const listedByHash = new Map(listed.map((f) => [f.sha256, f]));
  for (const file of listed) {
    const known = person.files.get(file.sha256);
    ledger.check(!person.refusedUploads.has(file.sha256), () => `person ${person.number}: a refused upload (415) is stored as file ${file.id}`);
    ledger.check(known !== undefined && known.state !== 'deleted', () => `person ${person.number}: file ${file.id} is listed but was ${known ? 'deleted (204)' : 'never uploaded'}`);
    const content = await person.look('GET', `/api/files/${file.id}/content`);
    ledger.check(
      content.status === 200 && sha256(content.raw) === file.sha256 && content.raw.length === known?.size,
      () => `person ${person.number}: file ${file.id} downloads ${content.status}, ${content.raw.length} bytes, sha256 ${sha256(content.raw)}; expected ${known?.size} bytes, ${file.sha256}`,
    );
  }
  for (const file of person.files.values()) {
    if (file.state === 'present') {
      ledger.check(listedByHash.get(file.sha256)?.id === file.id, () => `person ${person.number}: acknowledged file ${file.id} (${file.sha256}) is missing`);
    }
    if (file.state === 'deleted') {
      const content = await person.look('GET', `/api/files/${file.id}/content`);
      ledger.check(content.status === 404, () => `person ${person.number}: deleted file ${file.id} downloads ${content.status}`);
    }
  }
}

async function checkChat(person: Person, ledger: Ledger): Promise<void> {
  const messages: { id: number; role: string; content: string }[] = [];
  for (let cursor: string | null = null; ; ) {
    const page = await person.look('GET', `/api/chat/messages?limit=100${cursor ? `&before=${cursor}` : ''}`);
    messages.push(...page.body.messages);
    cursor = page.body.nextCursor;
    if (!cursor) break;
  }
  const byId = new Map(messages.map((m) => [m.id, m]));
  const sent = new Set(person.chats.map((c) => c.content));
  for (const message of messages) {
    if (message.role === 'user') ledger.check(sent.has(message.content), () => `person ${person.number}: message ${message.id} was never sent`);
  }
  const { history } = (await person.look('GET', '/api/chat/metrics?limit=500')).body as { history: { messageId: number }[] };
  const scored = new Set(history.map((h) => h.messageId));
  for (const exchange of person.chats) {
    if (exchange.outcome !== 'acknowledged') continue;
    const message = byId.get(exchange.messageId!);
    const reply = byId.get(exchange.replyId!);
    ledger.check(message?.content === exchange.content && message.role === 'user', () => `person ${person.number}: acknowledged message ${exchange.messageId} is ${message ? 'changed' : 'missing'}`);
    ledger.check(reply?.role === 'coach' && scored.has(exchange.replyId!), () => `person ${person.number}: the reply ${exchange.replyId} or its metrics are missing`);
  }
}

async function checkMatches(person: Person, ledger: Ledger): Promise<void> {
  for (const [id, match] of person.matches) {
    if (match.status === null) continue;
    const found = await person.look('GET', `/api/jobs/matches/${id}`);
    const history: { toStatus: string }[] = found.body.match?.history ?? [];
    ledger.check(
      found.status === 200 && found.body.match.status === match.status && history.length === match.events && history.at(-1)?.toStatus === match.status,
      () => `person ${person.number}: match ${id} is ${found.status} ${found.body.match?.status} with ${history.length} history entries; expected ${match.status} with ${match.events}`,
    );
  }
}

async function checkResumes(person: Person, ledger: Ledger): Promise<void> {
  const { resumes: listed } = (await person.look('GET', '/api/resumes')).body as { resumes: { id: number }[] };
  const known = new Map(person.resumes.filter((r) => r.id !== undefined).map((r) => [r.id!, r]));
  for (const { id } of listed) {
    const full = (await person.look('GET', `/api/resumes/${id}`)).body.resume as { content: string; feedback: unknown[] };
    const resume = known.get(id) ?? person.resumes.find((r) => r.state === 'maybe present' && r.content === full.content);
    ledger.check(resume !== undefined && resume.state !== 'deleted', () => `person ${person.number}: résumé ${id} is listed but was ${resume ? 'deleted (204)' : 'never created'}`);
    if (!resume) continue;
    ledger.check(full.content === resume.content, () => `person ${person.number}: résumé ${id} content changed`);
    ledger.check(
      full.feedback.length >= resume.feedback && full.feedback.length <= resume.feedback + resume.unknownFeedback,
      () => `person ${person.number}: résumé ${id} has ${full.feedback.length} feedback; expected ${resume.feedback} (+${resume.unknownFeedback} unanswered)`,
    );
  }
  const listedIds = new Set(listed.map((r) => r.id));
  for (const resume of person.resumes) {
    if (resume.state === 'present') ledger.check(listedIds.has(resume.id!), () => `person ${person.number}: acknowledged résumé ${resume.id} is missing`);
    if (resume.state === 'deleted') ledger.check(!listedIds.has(resume.id!), () => `person ${person.number}: deleted résumé ${resume.id} is still listed`);
  }
}

/**
 * Checks the database itself, with the server stopped: no half-written multi-row write
 * anywhere (a file without its bytes or with other bytes, a coach reply without its metrics,
 * a tracked match whose history disagrees with it), nothing left of deleted or never-created
 * accounts, and on SQLite `integrity_check` and `foreign_key_check`.
 */
export async function checkDatabase(database: Database, people: Person[], ledger: Ledger): Promise<void> {
  const { db } = database;
  const files = await db
    .selectFrom('files')
    .leftJoin('file_contents', 'file_contents.file_id', 'files.id')
    .select(['files.id', 'files.sha256', 'files.size', 'file_contents.content'])
    .execute();
  for (const file of files) {
    const bytes = file.content ? Buffer.from(file.content) : null;
    ledger.check(bytes !== null && bytes.length === Number(file.size) && sha256(bytes) === file.sha256, () => `file ${file.id}: ${bytes ? 'bytes differ from its sha256/size' : 'no content row'}`);
  }
  const repliesWithoutMetrics = await db
    .selectFrom('chat_messages')
    .leftJoin('coach_metrics', 'coach_metrics.message_id', 'chat_messages.id')
    .where('chat_messages.role', '=', 'coach')
    .where('coach_metrics.id', 'is', null)
    .select('chat_messages.id')
    .execute();
  ledger.check(repliesWithoutMetrics.length === 0, () => `coach replies without metrics: ${repliesWithoutMetrics.map((r) => r.id).join(', ')}`);
  const tracked = await db.selectFrom('job_matches').where('status', 'is not', null).select(['id', 'status']).execute();
  for (const match of tracked) {
    const last = await db.selectFrom('job_match_events').where('job_match_id', '=', match.id).orderBy('id', 'desc').select('to_status').executeTakeFirst();
    ledger.check(last?.to_status === match.status, () => `match ${match.id} has status ${match.status} but its last history entry says ${last?.to_status}`);
  }
  for (const person of people) {
    if (person.state === 'never created' && person.email) {
      const row = await db.selectFrom('users').where('email', '=', person.email).select('id').executeTakeFirst();
      ledger.check(row === undefined, () => `person ${person.number}: registration answered nothing and login failed, yet user ${row?.id} exists`);
    }
    if (person.state === 'deleted' && person.userId !== undefined) {
      for (const table of ['users', ...OWNED_TABLES] as const) {
        const column = table === 'users' ? 'id' : 'user_id';
        const left = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)} where ${sql.ref(column)} = ${person.userId}`.execute(db);
        ledger.check(Number(left.rows[0]!.n) === 0, () => `deleted person ${person.number} (user ${person.userId}) still has ${left.rows[0]!.n} rows in ${table}`);
      }
    }
  }
  if (database.backend === 'sqlite') {
    const integrity = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(db);
    ledger.check(integrity.rows.length === 1 && integrity.rows[0]!.integrity_check === 'ok', () => `SQLite integrity_check: ${JSON.stringify(integrity.rows)}`);
    const orphans = await sql`pragma foreign_key_check`.execute(db);
    ledger.check(orphans.rows.length === 0, () => `SQLite foreign_key_check: ${JSON.stringify(orphans.rows.slice(0, 5))}`);
  }
}
