import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { useTestApp } from '../testing/app.js';
import { BACKENDS } from '../testing/databases.js';
import { countRows, uploadFile } from '../testing/person-data.js';
import { docxDocument, elfExecutable, multipartBody, odtDocument, pdfDocument, rtfDocument, windowsExecutable } from '../testing/fixtures.js';
import { archiveEntryName, displayName } from './names.js';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('file names', () => {
  it('keeps the name for display minus control and bidi characters, trimmed and capped', () => {
    assert.equal(displayName('  ../../etc/passwd  '), '../../etc/passwd');
    assert.equal(displayName('cv\u0000\r\n\u202Efdp.exe'), 'cvfdp.exe');
    assert.equal(displayName(''), 'upload');
    assert.equal([...displayName('é'.repeat(400))].length, 255);
  });

  it('makes a name safe to unpack from a zip anywhere', () => {
    assert.equal(archiveEntryName('../../etc/passwd'), '_.._etc_passwd');
    assert.equal(archiveEntryName('..\\..\\boot.ini'), '_.._boot.ini');
    assert.equal(archiveEntryName('C:\\x.txt'), 'C__x.txt');
    assert.equal(archiveEntryName('what? "really" <x>|y*.md'), 'what_ _really_ _x__y_.md');
    assert.equal(archiveEntryName('NUL.txt'), '_NUL.txt');
    assert.equal(archiveEntryName('  ...hidden. . '), 'hidden');
    assert.equal(archiveEntryName('..'), 'file');
    assert.equal(archiveEntryName('cv\u202Efdp.exe'), 'cvfdp.exe');
    const long = archiveEntryName(`${'é'.repeat(200)}.docx`);
    assert.equal([...long].length, 120);
    assert.ok(long.endsWith('é.docx'));
  });
});

for (const backend of BACKENDS) {
  describe(`files on ${backend}`, () => {
    const t = useTestApp(backend, { maxUploadMb: 1 });

    const accepted = [
      { name: 'cv.pdf', bytes: pdfDocument(['Jane Doe', 'Registered nurse with patient care experience']), type: 'application/pdf', text: 'patient care' },
      {
        name: 'cv.docx',
        bytes: docxDocument(['Jane Doe', 'Led a team of welders']),
        type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        text: 'Led a team of welders',
      },
      { name: 'cv.odt', bytes: odtDocument('An OpenDocument résumé'), type: 'application/vnd.oasis.opendocument.text', text: null },
      { name: 'cv.rtf', bytes: rtfDocument('A rich text resume'), type: 'application/rtf', text: null },
      { name: 'notes.txt', bytes: Buffer.from('Plain text: données, 50% faster\n'), type: 'text/plain; charset=utf-8', text: 'Plain text: données, 50% faster' },
      { name: 'cv.md', bytes: Buffer.from('# Summary\n\nBuilt things.\n'), type: 'text/markdown; charset=utf-8', text: '# Summary\n\nBuilt things.' },
    ];

    it('states the upload limits with the list, before anyone tries', async () => {
      const client = t.client();
      await client.register();
      const list = await client.get('/api/files');
      assert.equal(list.status, 200);
      assert.deepEqual(list.body.limits, { maxFileBytes: 1024 * 1024, maxStorageBytes: 200 * 1024 * 1024 });
    });

    for (const sample of accepted) {
      it(`accepts ${sample.name} by its content, stores exact bytes and ${sample.text ? 'its text' : 'no text'}`, async () => {
        const client = t.client();
        await client.register();
        // The declared type is deliberately wrong: only the bytes count.
        const response = await uploadFile(client, sample.bytes, sample.name, 'image/png');
        assert.equal(response.status, 201, JSON.stringify(response.body));
        const file = response.body.file;
        assert.equal(file.name, sample.name);
        assert.equal(file.contentType, sample.type);
        assert.equal(file.size, sample.bytes.length);
        assert.equal(file.sha256, sha256(sample.bytes));
        assert.equal(file.hasText, sample.text !== null);
        const row = await t.ctx.db.selectFrom('files').select('text_content').where('id', '=', file.id).executeTakeFirstOrThrow();
        if (sample.text === null) assert.equal(row.text_content, null);
        else assert.ok(row.text_content?.includes(sample.text), `text was ${row.text_content}`);

        const download = await client.get(`/api/files/${file.id}/content`);
        assert.equal(download.status, 200);
        assert.equal(sha256(download.raw), sha256(sample.bytes));
        assert.equal(download.headers['content-type'], sample.type);
        assert.equal(download.headers['x-content-type-options'], 'nosniff');
        assert.match(String(download.headers['content-disposition']), /^attachment; filename="cv\.|^attachment; filename="notes\.txt"/);
      });
    }

    it('encodes a non-ASCII name safely in Content-Disposition', async () => {
      const client = t.client();
      await client.register();
      const name = 'Résumé final ✓.txt';
      const uploaded = await uploadFile(client, Buffer.from('hello'), name);
      assert.equal(uploaded.status, 201);
      assert.equal(uploaded.body.file.name, name);
      const download = await client.get(`/api/files/${uploaded.body.file.id}/content`);
      const disposition = String(download.headers['content-disposition']);
      assert.equal(
        disposition,
        `attachment; filename="Resume final _.txt"; filename*=UTF-8''R%C3%A9sum%C3%A9%20final%20%E2%9C%93.txt`,
      );
    });

    it('refuses a file over MAX_UPLOAD_MB with 413 and stores nothing', async () => {
      const client = t.client();
      await client.register();
      const before = [await countRows(t.ctx.db, 'files'), await countRows(t.ctx.db, 'file_contents')];
      const response = await uploadFile(client, Buffer.alloc(1024 * 1024 + 1, 0x61), 'big.txt');
      assert.equal(response.status, 413);
      assert.equal(response.body.error.code, 'file_too_large');
      assert.deepEqual([await countRows(t.ctx.db, 'files'), await countRows(t.ctx.db, 'file_contents')], before);
      // Exactly at the limit is fine.
      const atLimit = await uploadFile(client, Buffer.alloc(1024 * 1024, 0x61), 'limit.txt');
      assert.equal(atLimit.status, 201);
    });

    const refused = [
      { label: 'a Linux executable renamed cv.pdf', bytes: elfExecutable(), name: 'cv.pdf', declared: 'application/pdf' },
      { label: 'a Windows executable renamed cv.pdf', bytes: windowsExecutable(), name: 'cv.pdf', declared: 'application/pdf' },
      { label: 'a PNG named cv.docx', bytes: Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), name: 'cv.docx', declared: 'text/plain' },
      { label: 'binary bytes named notes.txt', bytes: Buffer.from([0x00, 0x01, 0x02, 0xff, 0xfe]), name: 'notes.txt', declared: 'text/plain' },
      { label: 'invalid UTF-8 named notes.md', bytes: Buffer.from([0x68, 0x69, 0xc3, 0x28]), name: 'notes.md', declared: 'text/markdown' },
    ];
    for (const sample of refused) {
      it(`refuses ${sample.label} with 415 and stores nothing`, async () => {
        const client = t.client();
        await client.register();
        const before = [await countRows(t.ctx.db, 'files'), await countRows(t.ctx.db, 'file_contents')];
        const response = await uploadFile(client, sample.bytes, sample.name, sample.declared);
        assert.equal(response.status, 415);
        assert.equal(response.body.error.code, 'unsupported_type');
        assert.deepEqual([await countRows(t.ctx.db, 'files'), await countRows(t.ctx.db, 'file_contents')], before);
      });
    }

    it('refuses an empty file, a wrong field name and a non-multipart body', async () => {
      const client = t.client();
      await client.register();
      const empty = await uploadFile(client, Buffer.alloc(0), 'empty.txt');
      assert.equal(empty.status, 400);
      assert.equal(empty.body.error.code, 'empty_file');
      const other = multipartBody(Buffer.from('hello'), 'a.txt', { field: 'document' });
      const wrongField = await client.request({ method: 'POST', url: '/api/files', payload: other.payload, headers: other.headers });
      assert.equal(wrongField.status, 400);
      const json = await client.post('/api/files', { file: 'hello' });
      assert.equal(json.status, 415);
      assert.equal(await countRows(t.ctx.db, 'files'), await countRows(t.ctx.db, 'file_contents'));
    });

    it('lists the user’s files newest first, deletes with 204, then answers 404', async () => {
      const client = t.client();
      await client.register();
      const first = await uploadFile(client, Buffer.from('first'), 'first.txt');
      const second = await uploadFile(client, Buffer.from('second'), 'second.md');
      const list = await client.get('/api/files');
      assert.equal(list.status, 200);
      assert.deepEqual(
        list.body.files.map((f: { id: number }) => f.id),
        [second.body.file.id, first.body.file.id],
      );
      assert.deepEqual(Object.keys(list.body.files[0]).sort(), ['contentType', 'createdAt', 'hasText', 'id', 'name', 'sha256', 'size']);
      const deleted = await client.delete(`/api/files/${first.body.file.id}`);
      assert.equal(deleted.status, 204);
      assert.equal((await client.get(`/api/files/${first.body.file.id}/content`)).status, 404);
      assert.equal((await client.delete(`/api/files/${first.body.file.id}`)).status, 404);
      const contents = await t.ctx.db.selectFrom('file_contents').select('file_id').where('file_id', '=', first.body.file.id).execute();
      assert.equal(contents.length, 0);
    });

    it('requires a session', async () => {
      const client = t.client();
      assert.equal((await client.get('/api/files')).status, 401);
      assert.equal((await uploadFile(client, Buffer.from('x'), 'x.txt')).status, 401);
    });
  });
}
