import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import mammoth from 'mammoth';
import { extractText } from '../files/extract.js';
import { useTestApp, type TestClient } from '../testing/app.js';
import { BACKENDS } from '../testing/databases.js';
import { HEALTH_BOUND_MS, measureResponsiveness } from '../testing/responsiveness.js';
import { compareTexts } from './compare.js';
import { VERSIONS_KEPT_PER_RESUME } from './editing.js';

const FIRST = 'Zoë Ünal\nSummary\nLed a team of 12 engineers.\nGrew revenue 30%.';
const SECOND = 'Zoë Ünal\nSummary\nLed a team of 14 engineers.\nGrew revenue 30%.\nΣύνοψη · Привет — “quotes”';
const ARCHIVE = { maxUncompressedBytes: 10_000_000, maxRatio: 100 };

async function newResume(client: TestClient, content = FIRST, name = 'My CV') {
  const created = await client.post('/api/resumes', { name, content });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  return created.body.resume as { id: number; revision: number; content: string; name: string };
}

describe('comparing texts', () => {
  it('shows changed words inside a changed line, and whole texts when they differ too much', () => {
    const { wordLevel, parts } = compareTexts(FIRST, SECOND);
    assert.equal(wordLevel, true);
    const changes = parts.filter((p) => p.op !== 'equal');
    assert.deepEqual(changes.slice(0, 2), [
      { op: 'delete', text: '12' },
      { op: 'insert', text: '14' },
    ]);
    assert.ok(changes.slice(2).every((p) => p.op === 'insert'));
    assert.equal(parts.map((p) => (p.op === 'insert' ? '' : p.text)).join(''), FIRST);
    assert.equal(parts.map((p) => (p.op === 'delete' ? '' : p.text)).join(''), SECOND);
    // Two unrelated 100,000-character texts: bounded, and still a faithful (line-level) answer.
    const a = Array.from({ length: 10_000 }, (_, i) => `line ${i} a`).join('\n').slice(0, 100_000);
    const b = Array.from({ length: 10_000 }, (_, i) => `row ${i * 7} b`).join('\n').slice(0, 100_000);
    const started = performance.now();
    const big = compareTexts(a, b);
    assert.ok(performance.now() - started < 1_500, `took ${performance.now() - started} ms`);
    assert.equal(big.parts.map((p) => (p.op === 'insert' ? '' : p.text)).join(''), a);
    assert.equal(big.parts.map((p) => (p.op === 'delete' ? '' : p.text)).join(''), b);
  });
});

for (const backend of BACKENDS) {
  describe(`résumé editing on ${backend}`, () => {
    const t = useTestApp(backend);

    it('saves a new version, and a stale save is 409 with both versions', async () => {
      const client = await t.registeredClient();
      const resume = await newResume(client);
      assert.equal(resume.revision, 1);
      const saved = await client.put(`/api/resumes/${resume.id}`, { revision: 1, content: SECOND });
      assert.equal(saved.status, 200, JSON.stringify(saved.body));
      assert.equal(saved.body.resume.revision, 2);
      assert.equal(saved.body.resume.content, SECOND);
      // Another tab still on version 1.
      const stale = await client.put(`/api/resumes/${resume.id}`, { revision: 1, content: 'My other edit' });
      assert.equal(stale.status, 409);
      assert.equal(stale.body.error.code, 'revision_conflict');
      assert.equal(stale.body.error.current.revision, 2);
      assert.equal(stale.body.error.current.content, SECOND);
      assert.deepEqual(stale.body.error.sent, { revision: 1, content: 'My other edit' });
      assert.equal((await client.get(`/api/resumes/${resume.id}`)).body.resume.content, SECOND);
      // The same text again is no new version.
      const same = await client.put(`/api/resumes/${resume.id}`, { revision: 2, content: SECOND });
      assert.equal(same.body.resume.revision, 2);
      const versions = await client.get(`/api/resumes/${resume.id}/versions`);
      assert.deepEqual(
        versions.body.versions.map((v: { revision: number; characters: number }) => [v.revision, v.characters]),
        [
          [2, SECOND.length],
          [1, FIRST.length],
        ],
      );
      const first = await client.get(`/api/resumes/${resume.id}/versions/1`);
      assert.equal(first.body.version.content, FIRST);
      assert.equal((await client.get(`/api/resumes/${resume.id}/versions/3`)).status, 404);
    });

    it('two saves of the same revision at once: one wins, the other is 409', async () => {
      const client = await t.registeredClient();
      const resume = await newResume(client);
      const [a, b] = await Promise.all([
        client.put(`/api/resumes/${resume.id}`, { revision: 1, content: 'Text A' }),
        client.put(`/api/resumes/${resume.id}`, { revision: 1, content: 'Text B' }),
      ]);
      assert.deepEqual([a.status, b.status].sort(), [200, 409]);
      const versions = (await client.get(`/api/resumes/${resume.id}/versions`)).body.versions;
      assert.equal(versions.length, 2);
    });

    it(`keeps the newest ${VERSIONS_KEPT_PER_RESUME} versions`, async () => {
      const client = await t.registeredClient();
      const resume = await newResume(client);
      for (let revision = 1; revision <= VERSIONS_KEPT_PER_RESUME + 2; revision += 1) {
        const saved = await client.put(`/api/resumes/${resume.id}`, { revision, content: `Text ${revision + 1}` });
        assert.equal(saved.status, 200);
      }
      const versions = (await client.get(`/api/resumes/${resume.id}/versions`)).body.versions;
      assert.equal(versions.length, VERSIONS_KEPT_PER_RESUME);
      assert.equal(versions[0].revision, VERSIONS_KEPT_PER_RESUME + 3);
      assert.equal(versions.at(-1).revision, 4);
      assert.equal((await client.get(`/api/resumes/${resume.id}/versions/3`)).status, 404);
    });

    it('renames, duplicates and deletes', async () => {
      const client = await t.registeredClient();
      const resume = await newResume(client);
      const renamed = await client.patch(`/api/resumes/${resume.id}`, { name: '  For the ward  ' });
      assert.equal(renamed.status, 200);
      assert.equal(renamed.body.resume.name, 'For the ward');
      assert.equal(renamed.body.resume.revision, 1, 'a new name is not a new version of the text');
      await client.put(`/api/resumes/${resume.id}`, { revision: 1, content: SECOND });
      const copy = await client.post(`/api/resumes/${resume.id}/duplicate`, {});
      assert.equal(copy.status, 201);
      assert.equal(copy.body.resume.name, 'For the ward (copy)');
      assert.equal(copy.body.resume.content, SECOND);
      assert.equal(copy.body.resume.revision, 1);
      const named = await client.post(`/api/resumes/${resume.id}/duplicate`, { name: 'Teaching' });
      assert.equal(named.body.resume.name, 'Teaching');
      assert.equal((await client.delete(`/api/resumes/${resume.id}`)).status, 204);
      assert.equal((await client.get(`/api/resumes/${resume.id}/versions`)).status, 404);
      const left = (await client.get('/api/resumes')).body.resumes.map((r: { name: string }) => r.name);
      assert.deepEqual(left.sort(), ['For the ward (copy)', 'Teaching']);
    });

    it('compares two versions word by word', async () => {
      const client = await t.registeredClient();
      const resume = await newResume(client);
      await client.put(`/api/resumes/${resume.id}`, { revision: 1, content: SECOND });
      const response = await client.get(`/api/resumes/${resume.id}/compare?from=1&to=2`);
      assert.equal(response.status, 200, JSON.stringify(response.body));
      const { comparison } = response.body;
      assert.equal(comparison.from.revision, 1);
      assert.equal(comparison.to.revision, 2);
      assert.equal(comparison.wordLevel, true);
      assert.ok(comparison.parts.some((p: { op: string; text: string }) => p.op === 'delete' && p.text === '12'));
      assert.ok(comparison.parts.some((p: { op: string; text: string }) => p.op === 'insert' && p.text === '14'));
      assert.equal((await client.get(`/api/resumes/${resume.id}/compare?from=1&to=9`)).status, 404);
    });

    it('downloads a version as PDF (text found when parsed back), Word and plain text', async () => {
      const client = await t.registeredClient();
      const resume = await newResume(client, FIRST, 'Zoë’s CV');
      await client.put(`/api/resumes/${resume.id}`, { revision: 1, content: SECOND });

      const pdf = await client.get(`/api/resumes/${resume.id}/versions/2/download?format=pdf`);
      assert.equal(pdf.status, 200);
      assert.equal(pdf.headers['content-type'], 'application/pdf');
      assert.match(String(pdf.headers['content-disposition']), /^attachment; filename="Zo.+version 2\)\.pdf"; filename\*=UTF-8''Zo%C3%AB/);
      assert.equal(pdf.raw.subarray(0, 5).toString('latin1'), '%PDF-');
      const pdfText = (await extractText('pdf', new Uint8Array(pdf.raw), ARCHIVE)) ?? '';
      for (const expected of ['Zoë Ünal', 'Led a team of 14 engineers.', 'Σύνοψη', 'Привет', '“quotes”']) {
        assert.ok(pdfText.includes(expected), `${expected} in ${JSON.stringify(pdfText)}`);
      }
      // A character the embedded font lacks is drawn as U+FFFD, never silently dropped.
      const unsupported = await newResume(client, 'Skills: 漢字 and 🎉 done', 'CJK');
      const cjk = await client.get(`/api/resumes/${unsupported.id}/versions/1/download?format=pdf`);
      assert.equal(await extractText('pdf', new Uint8Array(cjk.raw), ARCHIVE), 'Skills: \uFFFD\uFFFD and \uFFFD done');

      const docx = await client.get(`/api/resumes/${resume.id}/versions/1/download?format=docx`);
      assert.equal(docx.status, 200);
      assert.equal(docx.headers['content-type'], 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
      assert.match(String(docx.headers['content-disposition']), /version 1\)\.docx/);
      const docxText = (await mammoth.extractRawText({ buffer: Buffer.from(docx.raw) })).value;
      assert.ok(docxText.includes('Led a team of 12 engineers.'), docxText);
      assert.ok(docxText.includes('Zoë Ünal'));

      const text = await client.get(`/api/resumes/${resume.id}/versions/2/download?format=txt`);
      assert.equal(text.headers['content-type'], 'text/plain; charset=utf-8');
      assert.equal(Buffer.from(text.raw).toString('utf8'), SECOND);

      assert.equal((await client.get(`/api/resumes/${resume.id}/versions/2/download?format=exe`)).status, 400);
      assert.equal((await client.get(`/api/resumes/${resume.id}/versions/2/download`)).status, 400);
    });

    it('makes the PDF of a 100,000-character résumé without holding /health', async () => {
      const client = await t.registeredClient();
      const line = 'Led a team of 12 engineers and grew revenue 30% while shipping three products worldwide. ';
      const content = `Jane Doe\n${`${line.repeat(4)}\n`.repeat(300)}${'x'.repeat(5_000)}`.slice(0, 100_000);
      const resume = await newResume(client, content);
      const run = await measureResponsiveness(t.app, () => client.get(`/api/resumes/${resume.id}/versions/1/download?format=pdf`));
      assert.equal(run.result.status, 200);
      assert.ok(run.maxHealthMs < HEALTH_BOUND_MS, `/health took ${run.maxHealthMs.toFixed(0)} ms`);
      assert.ok(run.maxEventLoopDelayMs < HEALTH_BOUND_MS, `event loop blocked ${run.maxEventLoopDelayMs.toFixed(0)} ms`);
    });

    it('versions are in the export, go to the account a guest logs in to (merge), and go with the account', async () => {
      const guest = t.client();
      assert.equal((await guest.post('/api/auth/guest')).status, 201);
      const resume = await newResume(guest);
      await guest.put(`/api/resumes/${resume.id}`, { revision: 1, content: SECOND });
      const owner = t.client();
      const { email, password, user } = await owner.register();
      const merged = await guest.post('/api/auth/login', { email, password, guestWork: 'merge' });
      assert.equal(merged.status, 200, JSON.stringify(merged.body));
      const versions = await guest.get(`/api/resumes/${resume.id}/versions`);
      assert.deepEqual(versions.body.versions.map((v: { revision: number }) => v.revision), [2, 1]);

      const exported = await guest.get('/api/me/export');
      assert.equal(exported.status, 200);
      assert.deepEqual(
        exported.body.resumeVersions.map((v: { resumeId: number; revision: number; content: string }) => [v.resumeId, v.revision, v.content]),
        [
          [resume.id, 1, FIRST],
          [resume.id, 2, SECOND],
        ],
      );
      assert.equal(exported.body.resumes[0].revision, 2);

      assert.equal((await guest.delete('/api/me', { password })).status, 204);
      const left = await t.ctx.db.selectFrom('resume_versions').select('id').where('resume_id', '=', resume.id).execute();
      assert.deepEqual(left, []);
      assert.equal((await t.ctx.db.selectFrom('users').select('id').where('id', '=', user.id).executeTakeFirst()), undefined);
    });

    it('a résumé written without a version row (a legacy claim) still lists, downloads and saves its text', async () => {
      const client = t.client();
      const { user } = await client.register();
      const now = new Date().toISOString();
      const row = await t.ctx.db
        .insertInto('resumes')
        .values({ user_id: user.id, name: 'Imported', content: FIRST, file_id: null, job_match_id: null, created_at: now, updated_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      const versions = await client.get(`/api/resumes/${row.id}/versions`);
      assert.deepEqual(versions.body.versions.map((v: { revision: number }) => v.revision), [1]);
      const text = await client.get(`/api/resumes/${row.id}/versions/1/download?format=txt`);
      assert.equal(Buffer.from(text.raw).toString('utf8'), FIRST);
      assert.equal((await client.put(`/api/resumes/${row.id}`, { revision: 1, content: SECOND })).status, 200);
      const after = await client.get(`/api/resumes/${row.id}/versions`);
      assert.deepEqual(after.body.versions.map((v: { revision: number }) => v.revision), [2, 1]);
      assert.equal((await client.get(`/api/resumes/${row.id}/versions/1`)).body.version.content, FIRST);
    });

    it("another person's résumé is 404 for every operation", async () => {
      const owner = await t.registeredClient();
      const resume = await newResume(owner);
      const other = await t.registeredClient();
      const id = resume.id;
      const answers = [
        await other.get(`/api/resumes/${id}`),
        await other.put(`/api/resumes/${id}`, { revision: 1, content: 'mine now' }),
        await other.patch(`/api/resumes/${id}`, { name: 'mine' }),
        await other.post(`/api/resumes/${id}/duplicate`, {}),
        await other.get(`/api/resumes/${id}/versions`),
        await other.get(`/api/resumes/${id}/versions/1`),
        await other.get(`/api/resumes/${id}/compare?from=1&to=1`),
        await other.get(`/api/resumes/${id}/versions/1/download?format=pdf`),
        await other.post(`/api/resumes/${id}/feedback`),
        await other.delete(`/api/resumes/${id}`),
      ];
      assert.deepEqual(answers.map((a) => a.status), answers.map(() => 404));
      assert.equal((await owner.get(`/api/resumes/${id}`)).body.resume.content, FIRST);
    });

    it('validates bodies, params and queries (400, never 500)', async () => {
      const client = await t.registeredClient();
      const { id } = await newResume(client);
      const bad = [
        await client.put(`/api/resumes/${id}`, { content: 'no revision' }),
        await client.put(`/api/resumes/${id}`, { revision: 0, content: 'x' }),
        await client.put(`/api/resumes/${id}`, { revision: '1', content: 'x' }),
        await client.put(`/api/resumes/${id}`, { revision: 1, content: '' }),
        await client.put(`/api/resumes/${id}`, { revision: 1, content: '   ' }),
        await client.put(`/api/resumes/${id}`, { revision: 1, content: 'x'.repeat(100_001) }),
        await client.put(`/api/resumes/${id}`, { revision: 1, content: 'x', extra: true }),
        await client.patch(`/api/resumes/${id}`, { name: '' }),
        await client.patch(`/api/resumes/${id}`, { name: '   ' }),
        await client.patch(`/api/resumes/${id}`, { name: 'n'.repeat(201) }),
        await client.post(`/api/resumes/${id}/duplicate`, { name: 5 }),
        await client.get(`/api/resumes/${id}/compare?from=1`),
        await client.get(`/api/resumes/${id}/compare?from=a&to=1`),
      ];
      for (const answer of bad) {
        assert.equal(answer.status, 400, JSON.stringify(answer.body));
        assert.equal(typeof answer.body.error.code, 'string');
      }
      assert.equal((await client.get(`/api/resumes/${id}/versions/01`)).status, 404);
      assert.equal((await client.put('/api/resumes/abc', { revision: 1, content: 'x' })).status, 404);
    });
  });
}
