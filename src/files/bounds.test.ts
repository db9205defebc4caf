import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../config.js';
import { useTestApp, type TestClient } from '../testing/app.js';
import { BACKENDS } from '../testing/databases.js';
import { docxBomb, docxDocument, pdfDocument, slowPdf } from '../testing/fixtures.js';
import { countRows, uploadFile } from '../testing/person-data.js';

const MiB = 1024 * 1024;
const defaults = loadConfig({}).extraction;
const rssMb = () => process.memoryUsage().rss / MiB;

/** Uploads and returns status, code and whether text was kept. */
async function upload(client: TestClient, bytes: Buffer, name: string) {
  const response = await uploadFile(client, bytes, name);
  return { status: response.status, code: response.body?.error?.code, hasText: response.body?.file?.hasText, response };
}

for (const backend of BACKENDS) {
  describe(`archives and extraction workers on ${backend}`, () => {
    // A small worker heap, so the parser bomb below exhausts it quickly; a high ratio limit, so
    // that bomb reaches the parser at all.
    const t = useTestApp(backend, { maxUploadMb: 10, extraction: { ...defaults, workerHeapMb: 64, archiveMaxRatio: 100_000 } });
    const strict = useTestApp(backend, { maxUploadMb: 10 });

    it('refuses a 1 MB DOCX that inflates to 1 GiB from its directory, with memory flat', async (tc) => {
      const client = await strict.registeredClient();
      const bomb = docxBomb(1024);
      assert.ok(bomb.length < 2 * MiB);
      const before = rssMb();
      const result = await upload(client, bomb, 'bomb.docx');
      const grew = rssMb() - before;
      tc.diagnostic(`1 GiB bomb (${(bomb.length / MiB).toFixed(2)} MB): ${result.status} ${result.code}, RSS +${grew.toFixed(0)} MB`);
      assert.equal(result.status, 413);
      assert.equal(result.code, 'archive_too_large');
      assert.equal(await countRows(strict.ctx.db, 'files'), 0);
      assert.ok(grew < 100, `RSS grew ${grew.toFixed(0)} MB`);
    });

    it('refuses a part that inflates more than ARCHIVE_MAX_RATIO times, even under the total', async () => {
      const client = await strict.registeredClient();
      const result = await upload(client, docxBomb(20), 'ratio.docx');
      assert.equal(result.status, 413);
      assert.equal(result.code, 'archive_ratio_too_high');
      const damaged = docxDocument(['ok']).subarray(0, 200);
      const broken = await upload(client, Buffer.from(damaged), 'broken.docx');
      assert.equal(broken.status, 415);
      assert.equal(broken.code, 'invalid_archive');
    });

    it('stops inflating an archive whose directory lies, keeps the file without text, memory flat', async (tc) => {
      const client = await t.registeredClient();
      const liar = docxBomb(1024, { declaredMb: 1 });
      const before = rssMb();
      const result = await upload(client, liar, 'liar.docx');
      const grew = rssMb() - before;
      tc.diagnostic(`lying 1 GiB bomb: ${result.status} hasText=${result.hasText}, RSS +${grew.toFixed(0)} MB`);
      assert.equal(result.status, 201);
      assert.equal(result.hasText, false);
      assert.ok(grew < 200, `RSS grew ${grew.toFixed(0)} MB`);
    });

    it('a document that exhausts the worker heap kills that worker only; the next is read by a new one', async (tc) => {
      const client = await t.registeredClient();
      const before = rssMb();
      // 60 MiB of tiny paragraphs: within the archive limits, beyond a 64 MB heap once parsed.
      const result = await upload(client, docxBomb(60, { paragraphs: true }), 'nodes.docx');
      tc.diagnostic(`parser bomb: ${result.status} hasText=${result.hasText}, RSS +${(rssMb() - before).toFixed(0)} MB`);
      assert.equal(result.status, 201);
      assert.equal(result.hasText, false);
      const next = await upload(client, docxDocument(['Led a team of welders']), 'cv.docx');
      assert.equal(next.status, 201);
      assert.equal(next.hasText, true);
    });
  });

  describe(`fair extraction on ${backend}`, () => {
    // Slow PDFs take pdf.js well over 10 s even on a quiet machine (18.5 s measured alone; the
    // 20,000-item version took 5 s there and passed its timeout); an ordinary one well under, even
    // on a loaded machine that must also start a new worker after the slow one is stopped.
    const limits = { ...defaults, timeoutMs: 10_000, perUser: 2, maxQueued: 3 };
    const t = useTestApp(backend, { extraction: limits });

    it("one user's slow PDFs neither starve another user's PDF nor eat its timeout; the queue is bounded", async (tc) => {
      const [slowUser, other, third, late] = await Promise.all([1, 2, 3, 4].map(() => t.registeredClient()));
      const slow = slowPdf();
      const ordinary = pdfDocument(['Registered nurse with patient care experience']);
      const first = upload(slowUser!, slow, 'slow-1.pdf');
      const second = upload(slowUser!, slow, 'slow-2.pdf');
      // Let both reach the queue (the first a thread) before the others arrive.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const overUserLimit = await upload(slowUser!, slow, 'slow-3.pdf');
      const otherUpload = upload(other!, ordinary, 'cv.pdf');
      const thirdUpload = upload(third!, ordinary, 'cv.pdf');
      await new Promise((resolve) => setTimeout(resolve, 100));
      const overQueue = await upload(late!, ordinary, 'cv.pdf');
      const results = await Promise.all([first, second, otherUpload, thirdUpload]);
      tc.diagnostic(`statuses ${results.map((r) => `${r.status}/${r.hasText}`).join(' ')}; over user limit ${overUserLimit.status}; over queue ${overQueue.status}`);

      assert.equal(overUserLimit.status, 429);
      assert.equal(overUserLimit.code, 'too_many_extractions');
      assert.equal(overUserLimit.response.headers['retry-after'], '5');
      assert.equal(overQueue.status, 503);
      assert.equal(overQueue.code, 'extraction_busy');
      assert.ok(overQueue.response.headers['retry-after']);
      // The slow ones ran out of time and are kept without text; the others were read.
      assert.deepEqual(results.map((r) => [r.status, r.hasText]), [
        [201, false],
        [201, false],
        [201, true],
        [201, true],
      ]);
      // The refused uploads stored nothing: four files in all.
      assert.equal(await countRows(t.ctx.db, 'files'), 4);
    });
  });

  describe(`storage quota on ${backend}`, () => {
    const t = useTestApp(backend, { maxStorageMbPerUser: 1 });

    it('lets exactly one of two parallel uploads through when both would pass the quota alone', async () => {
      const client = await t.registeredClient();
      const text = Buffer.alloc(700 * 1024, 'a');
      const results = await Promise.all([upload(client, text, 'a.txt'), upload(client, text, 'b.txt')]);
      assert.deepEqual(results.map((r) => r.status).sort(), [201, 413]);
      const refused = results.find((r) => r.status === 413)!;
      assert.equal(refused.code, 'quota_exceeded');
      assert.equal(refused.response.body.error.maxBytes, MiB);
      assert.equal(await countRows(t.ctx.db, 'files'), 1);
      // Another user has a quota of their own; deleting makes room again.
      const other = await t.registeredClient();
      assert.equal((await upload(other, text, 'c.txt')).status, 201);
      const kept = results.find((r) => r.status === 201)!.response.body.file.id;
      assert.equal((await client.delete(`/api/files/${kept}`)).status, 204);
      assert.equal((await upload(client, text, 'd.txt')).status, 201);
    });
  });
}
