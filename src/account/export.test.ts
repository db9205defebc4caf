import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { processMemoryMb } from '../../bench/proc.js';
import { openDatabase, type Database } from '../db/connection.js';
import { BACKENDS, createTestDatabase, type TestDatabase } from '../testing/databases.js';
import { seedChatMessage, seedFile } from '../testing/person-data.js';
import { HEALTH_BOUND_MS, measureHealthOver } from '../testing/responsiveness.js';
import { HttpClient, startServerProcess, type ServerProcess } from '../testing/server-process.js';

const MiB = 1024 * 1024;
const FILES = 16;
const MARK = '"contentBase64": "';
/** The zip's end-of-central-directory record: signature, then the entry count 10 bytes in. */
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;

for (const backend of BACKENDS) {
  describe(`export of a heavy account from a server process on ${backend}`, () => {
    let database: TestDatabase;
    let server: ServerProcess;
    let seeding: Database;
    before(async () => {
      database = await createTestDatabase(backend);
      server = await startServerProcess(database);
      seeding = openDatabase(database.config);
    });
    after(async () => {
      await seeding?.close();
      await server?.stop();
      await database?.drop();
    });

    it(`streams ${FILES} × 10 MiB of files with flat server memory while the server keeps answering`, async (tc) => {
      const client = new HttpClient(server.url);
      const registered = await client.request('POST', '/api/auth/register', { email: 'heavy@example.org', password: 'correct horse battery' });
      const userId = registered.body.user.id as number;
      const bytes = randomBytes(10 * MiB);
      for (let i = 0; i < FILES; i++) await seedFile(seeding.db, userId, bytes, null);
      for (let i = 0; i < 1000; i++) await seedChatMessage(seeding.db, userId, 'user', `message ${i}`);

      const pid = server.child.pid!;
      const rssBefore = processMemoryMb(pid, 'VmRSS');
      const peakBefore = processMemoryMb(pid, 'VmHWM');
      const run = await measureHealthOver(server.url, async () => {
        const response = await fetch(`${server.url}/api/me/export?includeFiles=1`, { headers: { cookie: client.cookie } });
        let size = 0;
        let contents = 0;
        let tail = '';
        // Read as a slow-ish client would, a chunk at a time, looking for each file's bytes.
        for await (const chunk of response.body!) {
          size += chunk.length;
          const text = tail + Buffer.from(chunk).toString('latin1');
          contents += text.split(MARK).length - 1;
          // Shorter than the mark, so a mark is never counted twice.
          tail = text.slice(-(MARK.length - 1));
          // Buffered chunks arrive as microtasks; let the /health probe's timers run between them.
          await new Promise((resolve) => setImmediate(resolve));
        }
        return { status: response.status, type: response.headers.get('content-type'), size, contents, tail };
      });
      const peak = processMemoryMb(pid, 'VmHWM');
      tc.diagnostic(
        `export of ${(run.result.size / MiB).toFixed(0)} MB: slowest /health ${run.maxHealthMs.toFixed(0)} ms over ${run.healthChecks} checks; server RSS ${rssBefore.toFixed(0)} MB before, peak ${peak.toFixed(0)} MB (peak before ${peakBefore.toFixed(0)} MB)`,
      );
      assert.equal(run.result.status, 200);
      assert.match(run.result.type ?? '', /^application\/json/);
      assert.equal(run.result.contents, FILES);
      assert.ok(run.result.size > (FILES * 10 * MiB * 4) / 3, `only ${run.result.size} bytes`);
      assert.ok(run.result.tail.endsWith('}\n  ]\n}\n'), run.result.tail);
      // The old export built the whole document in memory: several times the files' size.
      assert.ok(peak - Math.max(rssBefore, peakBefore) < 150, `server peak grew to ${peak.toFixed(0)} MB from ${rssBefore.toFixed(0)} MB`);
      assert.ok(run.healthChecks >= 5, `only ${run.healthChecks} /health checks ran during the export`);
      assert.ok(run.maxHealthMs < 2 * HEALTH_BOUND_MS, `/health took ${run.maxHealthMs.toFixed(0)} ms`);
    });

    it('streams the same account as a zip with flat server memory', async (tc) => {
      const client = new HttpClient(server.url);
      await client.request('POST', '/api/auth/login', { email: 'heavy@example.org', password: 'correct horse battery' });
      const pid = server.child.pid!;
      const rssBefore = processMemoryMb(pid, 'VmRSS');
      const peakBefore = processMemoryMb(pid, 'VmHWM');
      const response = await fetch(`${server.url}/api/me/export.zip`, { headers: { cookie: client.cookie } });
      let size = 0;
      let tail = Buffer.alloc(0);
      for await (const chunk of response.body!) {
        size += chunk.length;
        tail = Buffer.concat([tail, chunk]).subarray(-22);
        await new Promise((resolve) => setImmediate(resolve));
      }
      const peak = processMemoryMb(pid, 'VmHWM');
      tc.diagnostic(`zip of ${(size / MiB).toFixed(0)} MB: server RSS ${rssBefore.toFixed(0)} MB before, peak ${peak.toFixed(0)} MB`);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('content-type'), 'application/zip');
      assert.ok(size > FILES * 10 * MiB, `only ${size} bytes`);
      assert.equal(tail.readUInt32LE(0), END_OF_CENTRAL_DIRECTORY, 'the zip is complete');
      assert.equal(tail.readUInt16LE(10), FILES + 2, 'the JSON, the readable document and every file');
      assert.ok(peak - Math.max(rssBefore, peakBefore) < 150, `server peak grew to ${peak.toFixed(0)} MB from ${rssBefore.toFixed(0)} MB`);
    });
  });
}
