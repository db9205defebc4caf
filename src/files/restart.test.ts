import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { BACKENDS, createTestDatabase, type TestDatabase } from '../testing/databases.js';
import { HttpClient, startServerProcess, type ServerProcess } from '../testing/server-process.js';
import { docxDocument, multipartBody, pdfDocument } from '../testing/fixtures.js';

const sha256 = (bytes: Buffer | Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function upload(client: HttpClient, bytes: Buffer, name: string) {
  const body = multipartBody(bytes, name);
  const response = await fetch(`${client.baseUrl}/api/files`, {
    method: 'POST',
    headers: { ...body.headers, cookie: client.cookie },
    body: body.payload,
  });
  return { status: response.status, body: (await response.json()) as { file: { id: number; sha256: string } } };
}

for (const backend of BACKENDS) {
  describe(`files across a server restart on ${backend}`, () => {
    let database: TestDatabase;
    let server: ServerProcess | undefined;
    before(async () => {
      database = await createTestDatabase(backend);
    });
    after(async () => {
      await server?.stop('SIGKILL');
      await database.drop();
    });

    it('downloads the exact bytes uploaded before the process restarted', async () => {
      server = await startServerProcess(database);
      const client = new HttpClient(server.url);
      const registered = await client.request('POST', '/api/auth/register', { email: 'restart@example.org', password: 'correct horse battery' });
      assert.equal(registered.status, 201);
      const documents = [
        { name: 'cv.pdf', bytes: pdfDocument(['Survives restarts']) },
        { name: 'cv.docx', bytes: docxDocument(['Survives restarts too']) },
        { name: 'blob.txt', bytes: Buffer.from('x'.repeat(300_000) + '\nend') },
      ];
      const ids: number[] = [];
      for (const document of documents) {
        const response = await upload(client, document.bytes, document.name);
        assert.equal(response.status, 201);
        assert.equal(response.body.file.sha256, sha256(document.bytes));
        ids.push(response.body.file.id);
      }

      assert.equal(await server.stop('SIGTERM'), 0);
      server = await startServerProcess(database);

      const again = new HttpClient(server.url);
      const login = await again.request('POST', '/api/auth/login', { email: 'restart@example.org', password: 'correct horse battery' });
      assert.equal(login.status, 200);
      for (const [i, document] of documents.entries()) {
        const response = await fetch(`${server.url}/api/files/${ids[i]}/content`, { headers: { cookie: again.cookie } });
        assert.equal(response.status, 200);
        const bytes = Buffer.from(await response.arrayBuffer());
        assert.equal(sha256(bytes), sha256(document.bytes));
        assert.equal(bytes.length, document.bytes.length);
      }
    });
  });
}
