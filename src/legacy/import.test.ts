import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { useTestApp } from '../testing/app.js';
import { BACKENDS } from '../testing/databases.js';
import { damagedLegacyData, PASSWORDS, SESSIONS, writeLegacySource, type LegacySourceDatabase, type SourceKind } from '../testing/legacy-fixtures.js';
import { runImport } from '../testing/legacy-import.js';
import type { ReportDocument } from './report.js';

const SOURCE_KINDS: SourceKind[] = ['sqlite', 'postgres'];

/** Row counts of every table the import or a claim writes. */
async function tableCounts(db: Kysely<DB>): Promise<Record<string, number>> {
  const tables = ['users', 'legacy_accounts', 'legacy_sessions', 'legacy_items', 'chat_messages', 'coach_metrics', 'job_matches', 'job_match_events', 'resumes', 'resume_feedback', 'files', 'ps101_runs'] as const;
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const row = await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    counts[table] = Number(row.n);
  }
  return counts;
}

function problemFor(report: ReportDocument, table: string, legacyId: string): string {
  const entries = report.problems.filter((p) => p.table === table && p.legacyId === legacyId);
  assert.equal(entries.length, 1, `one problem entry for ${table} ${legacyId}: ${JSON.stringify(report.problems.filter((p) => p.table === table))}`);
  return entries[0]!.reason;
}

for (const backend of BACKENDS) {
  for (const sourceKind of SOURCE_KINDS) {
    describe(`import-legacy from ${sourceKind} into ${backend}`, () => {
      const t = useTestApp(backend);
      let source: LegacySourceDatabase;
      let fixture: ReturnType<typeof damagedLegacyData>;
      let report: ReportDocument;

      before(async () => {
        fixture = damagedLegacyData(sourceKind);
        source = await writeLegacySource(sourceKind, fixture.rows);
        // Someone registered on Mosaic with an address a legacy account also had.
        await t.client().register('dan@example.org', 'dan registered on mosaic');
      });
      after(async () => {
        await source?.drop();
        fixture?.cleanup();
      });

      it('a dry run reads and checks everything and writes nothing', async () => {
        const before = await tableCounts(t.ctx.db);
        const dry = await runImport(source.location, fixture.uploads, t.ctx.db, true);
        assert.equal(dry.dryRun, true);
        assert.deepEqual(await tableCounts(t.ctx.db), before);
        assert.equal(dry.counts.users.imported, 5);
        assert.equal(dry.counts.wimd_outputs.imported, sourceKind === 'sqlite' ? 6 : 5);
        assert.ok(dry.problems.length > 10);
      });

      it('imports accounts and work, and reports every row not imported as it was', async () => {
        report = await runImport(source.location, fixture.uploads, t.ctx.db);
        const c = report.counts;
        assert.deepEqual(c.users, { read: 6, imported: 5, alreadyPresent: 0, notImported: 1 });
        assert.deepEqual(c.sessions, { read: 4, imported: 2, alreadyPresent: 0, notImported: 2 });
        assert.deepEqual(c.wimd_outputs, { read: sourceKind === 'sqlite' ? 7 : 6, imported: sourceKind === 'sqlite' ? 6 : 5, alreadyPresent: 0, notImported: 1 });
        assert.deepEqual(c.job_matches, { read: 3, imported: 3, alreadyPresent: 0, notImported: 0 });
        assert.deepEqual(c.resume_versions, { read: 2, imported: 2, alreadyPresent: 0, notImported: 0 });
        assert.deepEqual(c.file_uploads, { read: 8, imported: 4, alreadyPresent: 0, notImported: 4 });
        assert.equal(c.duplicateEmails, 2);
        assert.match(problemFor(report, 'users', 'u-dan'), /dan@example\.org already belongs to a Mosaic account; this account gets dan\+legacy-[0-9a-f]{12}@example\.org/);
        assert.equal(c.problems, report.problems.length);

        // Accounts: an address that is not one, an unparseable hash, a case-variant duplicate, NULL times.
        assert.match(problemFor(report, 'users', 'u-nomail'), /not a usable address; account not imported/);
        assert.match(problemFor(report, 'users', 'u-bob'), /password_hash cannot be parsed/);
        assert.match(problemFor(report, 'users', 'u-ann-upper'), /shared, case aside.*ann\+legacy-[0-9a-f]{12}@example\.org/);
        assert.match(problemFor(report, 'users', 'u-cara'), /created_at is empty; used an unknown time/);
        assert.equal(report.problems.some((p) => p.legacyId === 'u-ann'), false);

        // Sessions: no work; invalid JSON; non-object JSON; a response out of range and a bad time.
        assert.match(problemFor(report, 'sessions', SESSIONS.empty), /holds no work/);
        assert.match(problemFor(report, 'sessions', SESSIONS.badJson), /user_data is not valid JSON/);
        assert.match(problemFor(report, 'sessions', SESSIONS.arrayJson), /user_data is JSON but not an object.*holds no work/);
        const ann = problemFor(report, 'sessions', SESSIONS.ann);
        assert.match(ann, /ps101_responses\[3\] is not a response of step 1–10/);
        assert.match(ann, /ps101_responses\[2\]\.timestamp is not a time \(yesterday\)/);

        // Chat: invalid and non-object metrics, a NULL time, an orphan, no session, invalid UTF-8.
        assert.match(problemFor(report, 'wimd_outputs', '2'), /metrics is not valid JSON.*without metrics/);
        assert.match(problemFor(report, 'wimd_outputs', '3'), /metrics is JSON but not an object/);
        assert.match(problemFor(report, 'wimd_outputs', '3'), /created_at is empty; used 2024-01-01T12:00:00.000Z/);
        assert.match(problemFor(report, 'wimd_outputs', '5'), /orphan row.*claimable/);
        assert.match(problemFor(report, 'wimd_outputs', '6'), /session_id is empty.*not imported/);
        if (sourceKind === 'sqlite') assert.match(problemFor(report, 'wimd_outputs', '7'), /prompt is not valid UTF-8; imported a repaired copy/);
        assert.equal(report.problems.some((p) => p.table === 'wimd_outputs' && p.legacyId === '1'), false);

        // Job matches: invalid extras and skills, non-object extras, a NULL score.
        assert.match(problemFor(report, 'job_matches', '2'), /skills_match is not valid JSON.*extras is not valid JSON/);
        assert.match(problemFor(report, 'job_matches', '3'), /fit_score is empty.*extras is JSON but not an object/);
        assert.match(problemFor(report, 'resume_versions', '2'), /feedback is not valid JSON.*kept as text/);

        // Files: elsewhere but found, outside (never followed), missing, size, empty, a link out, an unknown type.
        assert.match(problemFor(report, 'file_uploads', '2'), /points outside the uploads folder; not followed, looked up as/);
        assert.match(problemFor(report, 'file_uploads', '3'), /points outside.*"secret\.txt" is missing from --uploads; not imported/);
        assert.match(problemFor(report, 'file_uploads', '4'), /missing from --uploads; not imported/);
        assert.match(problemFor(report, 'file_uploads', '5'), /size on disk \(12 bytes\) differs from the recorded file_size \(999\)/);
        assert.match(problemFor(report, 'file_uploads', '6'), /is empty; not imported/);
        assert.match(problemFor(report, 'file_uploads', '7'), /a link leading outside it; not followed/);
        assert.match(problemFor(report, 'file_uploads', '8'), /not a type Mosaic accepts.*application\/octet-stream/);
        assert.equal(report.problems.some((p) => p.table === 'file_uploads' && p.legacyId === '1'), false);

        // Nothing stores a raw legacy session id.
        const items = await t.ctx.db.selectFrom('legacy_items').select(['legacy_id', 'session_hash', 'data']).execute();
        const sessions = await t.ctx.db.selectFrom('legacy_sessions').select('session_hash').execute();
        for (const text of [...items.flatMap((i) => [i.legacy_id, i.session_hash, i.data]), ...sessions.map((s) => s.session_hash)]) {
          for (const id of Object.values(SESSIONS)) assert.equal(text.includes(id), false);
        }
        const contents = await t.ctx.db.selectFrom('legacy_items').select('content').where('kind', '=', 'file').execute();
        assert.equal(contents.length, 4);
        for (const { content } of contents) assert.equal(Buffer.from(content!).toString('utf8').includes('secret outside'), false);
      });

      it('a second run adds nothing and changes nothing, and reports the same problems', async () => {
        const before = await tableCounts(t.ctx.db);
        const second = await runImport(source.location, fixture.uploads, t.ctx.db, false, 3);
        assert.deepEqual(await tableCounts(t.ctx.db), before);
        for (const table of ['users', 'sessions', 'wimd_outputs', 'job_matches', 'resume_versions', 'file_uploads'] as const) {
          assert.equal(second.counts[table].imported, 0, table);
          assert.equal(second.counts[table].alreadyPresent, report.counts[table].imported, table);
        }
        assert.deepEqual(second.problems.map((p) => `${p.table}:${p.legacyId}`).sort(), report.problems.map((p) => `${p.table}:${p.legacyId}`).sort());
      });

      it('old passwords log in once and are replaced by Argon2id in the same step', async () => {
        const client = t.client();
        const login = await client.post('/api/auth/login', { email: 'ANN@example.org ', password: PASSWORDS.ann });
        assert.equal(login.status, 200, JSON.stringify(login.body));
        assert.equal(login.body.user.email, 'ann@example.org');
        const user = await t.ctx.db.selectFrom('users').select('password_hash').where('email', '=', 'ann@example.org').executeTakeFirstOrThrow();
        assert.match(user.password_hash!, /^\$argon2id\$/);
        const again = await t.client().post('/api/auth/login', { email: 'ann@example.org', password: PASSWORDS.ann });
        assert.equal(again.status, 200);
      });

      it('a wrong password answers as for any account; an unparseable hash is a 401, never a 500', async () => {
        const cara = await t.ctx.db.selectFrom('users').select('password_hash').where('email', '=', 'cara@example.org').executeTakeFirstOrThrow();
        assert.match(cara.password_hash!, /^legacy-sha256\$/);
        const wrongLegacy = await t.client().post('/api/auth/login', { email: 'cara@example.org', password: 'not her password' });
        const unknown = await t.client().post('/api/auth/login', { email: 'nobody-here@example.org', password: 'not her password' });
        const unparseable = await t.client().post('/api/auth/login', { email: 'bob@example.org', password: 'anything at all' });
        assert.equal(wrongLegacy.status, 401);
        assert.deepEqual(wrongLegacy.body, unknown.body);
        assert.equal(unparseable.status, 401);
        assert.deepEqual(unparseable.body, unknown.body);
        // A wrong guess never upgrades anything.
        const still = await t.ctx.db.selectFrom('users').select('password_hash').where('email', '=', 'cara@example.org').executeTakeFirstOrThrow();
        assert.equal(still.password_hash, cara.password_hash);
        const right = await t.client().post('/api/auth/login', { email: 'Cara@Example.org', password: PASSWORDS.cara });
        assert.equal(right.status, 200);
      });

      it('a case-variant duplicate keeps its own account and logs in with the address it knows', async () => {
        const dup = await t.client().post('/api/auth/login', { email: 'Ann@Example.org', password: PASSWORDS.annUpper });
        assert.equal(dup.status, 200, JSON.stringify(dup.body));
        assert.match(dup.body.user.email, /^ann\+legacy-[0-9a-f]{12}@example\.org$/);
        const owner = await t.ctx.db.selectFrom('users').select('id').where('email', '=', 'ann@example.org').executeTakeFirstOrThrow();
        assert.notEqual(dup.body.user.id, owner.id);
        const upgraded = await t.ctx.db.selectFrom('users').select('password_hash').where('id', '=', dup.body.user.id).executeTakeFirstOrThrow();
        assert.match(upgraded.password_hash!, /^\$argon2id\$/);
        // The address's owner still logs in with hers, into her own account.
        const ownerLogin = await t.client().post('/api/auth/login', { email: 'ann@example.org', password: PASSWORDS.ann });
        assert.equal(ownerLogin.body.user.id, owner.id);
      });

      it('an address a Mosaic account already held: both log in with their own password, each into their own account', async () => {
        const mosaic = await t.client().post('/api/auth/login', { email: 'dan@example.org', password: 'dan registered on mosaic' });
        assert.equal(mosaic.status, 200);
        assert.equal(mosaic.body.user.email, 'dan@example.org');
        const legacy = await t.client().post('/api/auth/login', { email: 'Dan@Example.org', password: PASSWORDS.dan });
        assert.equal(legacy.status, 200, JSON.stringify(legacy.body));
        assert.match(legacy.body.user.email, /^dan\+legacy-[0-9a-f]{12}@example\.org$/);
        assert.notEqual(legacy.body.user.id, mosaic.body.user.id);
        const neither = await t.client().post('/api/auth/login', { email: 'dan@example.org', password: 'neither of them' });
        assert.equal(neither.status, 401);
      });

      it('a password change clears the legacy hash for good', async () => {
        const client = t.client();
        assert.equal((await client.post('/api/auth/login', { email: 'cara@example.org', password: PASSWORDS.cara })).status, 200);
        // A session that still meets a legacy hash (as a reset or change may): the current
        // password is checked against it, and the change writes Argon2id over it.
        const { legacyPasswordHash } = await import('../testing/legacy-fixtures.js');
        await t.ctx.db.updateTable('users').set({ password_hash: `legacy-sha256$${legacyPasswordHash(PASSWORDS.cara)}` }).where('email', '=', 'cara@example.org').execute();
        const changed = await client.post('/api/auth/password', { currentPassword: PASSWORDS.cara, newPassword: 'a brand new password' });
        assert.ok(changed.status === 204 || changed.status === 200, JSON.stringify(changed.body));
        const none = await t.ctx.db.selectFrom('users').select('id').where('password_hash', 'like', 'legacy-sha256$%').execute();
        assert.equal(none.length, 0);
      });
    });
  }
}
