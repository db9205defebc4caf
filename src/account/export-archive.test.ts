import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { strFromU8, unzipSync } from 'fflate';
import { useTestApp } from '../testing/app.js';
import { BACKENDS } from '../testing/databases.js';
import { pdfDocument } from '../testing/fixtures.js';
import { seedChatMessage, seedFile, seedWorkbookRun, uploadFile } from '../testing/person-data.js';

const MiB = 1024 * 1024;

function unzip(raw: Buffer) {
  const entries = unzipSync(new Uint8Array(raw));
  return {
    names: Object.keys(entries),
    text: (name: string) => strFromU8(entries[name] ?? new Uint8Array()),
    bytes: (name: string) => Buffer.from(entries[name] ?? new Uint8Array()),
  };
}

for (const backend of BACKENDS) {
  describe(`the export as a zip on ${backend}`, () => {
    const t = useTestApp(backend);

    it('holds the pretty JSON, a readable document with questions, answers and chat, and the original files', async () => {
      const client = t.client();
      const { user, email } = await client.register();
      const pdf = pdfDocument(['Ward sister, twelve years']);
      const notes = Buffer.from('My notes: teaching <b>nurses</b> & students\n', 'utf8');
      await uploadFile(client, pdf, 'Résumé 2026.pdf');
      await uploadFile(client, notes, '../../etc/passwd.txt');
      await uploadFile(client, Buffer.from('device name'), 'CON.txt');
      await seedWorkbookRun(t.ctx.db, user.id, { '1.1': 'Leaving nursing <script>alert(1)</script>', '2.2': 'Night courses' });
      await seedWorkbookRun(t.ctx.db, user.id, { '1.1': 'An older start' }, { archived: true });
      await seedChatMessage(t.ctx.db, user.id, 'user', 'I want to teach adults');
      await seedChatMessage(t.ctx.db, user.id, 'coach', 'What would a first small step look like?');
      await client.post('/api/resumes', { name: 'Teaching CV', content: 'Clinical educator, trained 40 nurses' });

      const response = await client.get('/api/me/export.zip');
      assert.equal(response.status, 200);
      assert.equal(response.headers['content-type'], 'application/zip');
      assert.match(String(response.headers['content-disposition']), /^attachment; filename="mosaic-export-\d{4}-\d{2}-\d{2}\.zip"$/);
      assert.equal(response.headers['cache-control'], 'private, no-store');
      const zip = unzip(response.raw);

      const json = zip.text('mosaic-export.json');
      assert.ok(json.startsWith('{\n  "formatVersion": 2,'), 'pretty-printed');
      const data = JSON.parse(json);
      assert.equal(data.account.email, email);
      assert.equal(data.files.length, 3);
      for (const file of data.files) {
        assert.ok(zip.names.includes(file.path), `${file.path} is in the zip`);
        assert.equal(file.contentBase64, undefined);
      }
      const live = data.workbook.runs.find((run: { archivedAt: string | null }) => run.archivedAt === null);
      assert.deepEqual(
        live.answers.map((a: { key: string; question: string }) => [a.key, a.question]),
        [
          ['1.1', 'In a sentence or two, what is the problem you want to work on?'],
          ['2.2', 'What have you already tried, and what happened?'],
        ],
      );

      // The original bytes, exactly; every name inside the zip is a plain name under files/.
      const pdfPath = data.files.find((f: { name: string }) => f.name === 'Résumé 2026.pdf').path;
      assert.equal(pdfPath, `files/${data.files.find((f: { name: string }) => f.name === 'Résumé 2026.pdf').id}-Résumé 2026.pdf`);
      assert.ok(zip.bytes(pdfPath).equals(pdf));
      const notesPath = data.files.find((f: { name: string }) => f.name.endsWith('passwd.txt')).path;
      assert.equal(zip.bytes(notesPath).toString('utf8'), notes.toString('utf8'));
      assert.ok(data.files.find((f: { name: string }) => f.name === 'CON.txt').path.endsWith('CON.txt'));
      for (const name of zip.names) {
        assert.ok(!name.split('/').some((part) => part === '..' || part === '.' || part === ''), name);
        assert.ok(!/[\\:*?"<>|]/.test(name) && !name.startsWith('/'), name);
      }
      assert.deepEqual(zip.names.filter((n) => !n.startsWith('files/')).sort(), ['mosaic-export.html', 'mosaic-export.json']);

      const html = zip.text('mosaic-export.html');
      assert.match(html, /<title>Your Mosaic data<\/title>/);
      assert.match(html, /Content-Security-Policy/);
      assert.ok(html.includes('Step 1: Name the problem and the gap'));
      assert.ok(html.includes('In a sentence or two, what is the problem you want to work on?'));
      assert.ok(html.includes('Leaving nursing &lt;script&gt;alert(1)&lt;/script&gt;'), 'answers are escaped');
      assert.ok(!html.includes('<script>'));
      assert.ok(html.includes('What have you already tried, and what happened?') && html.includes('Night courses'));
      assert.ok(html.indexOf('Leaving nursing') < html.indexOf('An older start'), 'the live workbook comes before past runs');
      assert.ok(html.includes('I want to teach adults') && html.includes('What would a first small step look like?'));
      assert.ok(html.includes('Teaching CV') && html.includes('Clinical educator, trained 40 nurses'));
      assert.ok(html.includes(`href="files/${encodeURIComponent(pdfPath.slice('files/'.length))}"`), 'links to the file beside it');
    });

    it('carries several MB of files exactly, one after another', async () => {
      const client = t.client();
      const { user } = await client.register();
      const files = Array.from({ length: 6 }, () => randomBytes(MiB + 12345));
      const ids: number[] = [];
      for (const bytes of files) ids.push(await seedFile(t.ctx.db, user.id, bytes, null));
      const response = await client.get('/api/me/export.zip');
      assert.equal(response.status, 200);
      assert.ok(response.raw.length > 6 * MiB);
      const zip = unzip(response.raw);
      const data = JSON.parse(zip.text('mosaic-export.json'));
      ids.forEach((id, i) => {
        const path = data.files.find((f: { id: number }) => f.id === id).path;
        assert.ok(zip.bytes(path).equals(files[i]!), `file ${i} is intact`);
      });
    });

    it("holds only the person's own data, works for a guest, and needs a session", async () => {
      const owner = t.client();
      const { user } = await owner.register();
      await seedChatMessage(t.ctx.db, user.id, 'user', 'owner secret message');
      await uploadFile(owner, Buffer.from('owner secret file'), 'secret.txt');

      const guest = t.client();
      assert.equal((await guest.post('/api/auth/guest')).status, 201);
      await uploadFile(guest, Buffer.from('guest notes'), 'guest.txt');
      const response = await guest.get('/api/me/export.zip');
      assert.equal(response.status, 200);
      const zip = unzip(response.raw);
      const data = JSON.parse(zip.text('mosaic-export.json'));
      assert.equal(data.account.guest, true);
      assert.deepEqual(data.files.map((f: { name: string }) => f.name), ['guest.txt']);
      assert.ok(zip.text('mosaic-export.html').includes('a guest account'));
      const everything = zip.names.map((name) => zip.text(name)).join('\n');
      assert.ok(!everything.includes('owner secret'), "nothing of another account");

      assert.equal((await t.client().get('/api/me/export.zip')).status, 401);
    });
  });
}
