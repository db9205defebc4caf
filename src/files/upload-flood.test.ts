import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { processMemoryMb } from '../../bench/proc.js';
import { BACKENDS, createTestDatabase, type TestDatabase } from '../testing/databases.js';
import { multipartBody } from '../testing/fixtures.js';
import { measureHealthOver } from '../testing/responsiveness.js';
import { HttpClient, startServerProcess, type ServerProcess } from '../testing/server-process.js';

const MiB = 1024 * 1024;
const UPLOADS = 100;
/**
 * The slowest `/health` allowed during the flood, asked over HTTP from a thread of its own (this
 * process's main thread sends the 1 GB). Generous: the test machine's two cores run at a load of
 * 10–20. With the cap it
 * took 0.6–1.5 s alone and up to 3.3 s beside other test files (the server's longest busy
 * stretch in a profile was ~0.2 s); without it, 1.1–1.2 s on a quiet moment and 5–6 s on a
 * busy one, so the uncapped code is caught reliably by its memory (~1.7 GB), below.
 */
const FLOOD_HEALTH_BOUND_MS = 4000;
/** Codes a refused upload may carry: busy, rate-limited or over the quota, never a 500. */
const REFUSALS = new Set(['uploads_busy', 'rate_limited', 'quota_exceeded']);

for (const backend of BACKENDS) {
  describe(`${UPLOADS} parallel 10 MiB uploads to a server process on ${backend}`, () => {
    let database: TestDatabase;
    let server: ServerProcess;
    before(async () => {
      database = await createTestDatabase(backend);
      // Room for every upload, so only the server's own capacity decides who is refused.
      server = await startServerProcess(database, {
        MAX_CONNECTIONS_PER_ADDRESS: '0',
        RATE_LIMIT_UPLOADS_PER_HOUR: '1000',
        MAX_STORAGE_MB_PER_USER: '2000',
      });
    });
    after(async () => {
      await server?.stop();
      await database?.drop();
    });

    it('keeps /health answering, answers every upload 201 or a clean refusal, memory bounded', async (tc) => {
      const client = new HttpClient(server.url);
      await client.request('POST', '/api/auth/register', { email: 'flood@example.org', password: 'correct horse battery' });
      const post = (form: ReturnType<typeof multipartBody>) =>
        fetch(`${server.url}/api/files`, { method: 'POST', headers: { ...form.headers, cookie: client.cookie }, body: form.payload });
      // No warm-up: the flood's first uploads also load the type detector, as after a restart.
      const body = multipartBody(Buffer.alloc(10 * MiB - 1024, 'plain text line\n'), 'notes.txt');
      const pid = server.child.pid!;
      const rssBefore = processMemoryMb(pid, 'VmRSS');
      const run = await measureHealthOver(server.url, () =>
        Promise.all(
          Array.from({ length: UPLOADS }, async () => {
            const response = await post(body);
            const text = await response.text();
            return { status: response.status, retryAfter: response.headers.get('retry-after'), text };
          }),
        ),
      );
      const peak = processMemoryMb(pid, 'VmHWM');
      const counts = new Map<string, number>();
      for (const { status, text } of run.result) {
        const key = status === 201 ? '201' : `${status} ${JSON.parse(text)?.error?.code}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      tc.diagnostic(
        `${[...counts].map(([key, n]) => `${n}× ${key}`).join(', ')}; slowest /health ${run.maxHealthMs.toFixed(0)} ms over ${run.healthChecks} checks; server RSS ${rssBefore.toFixed(0)} MB before, peak ${peak.toFixed(0)} MB`,
      );
      for (const { status, retryAfter, text } of run.result) {
        if (status === 201) continue;
        const error = JSON.parse(text).error;
        assert.ok(status === 503 || status === 429 || status === 413, `upload answered ${status}: ${text}`);
        assert.ok(REFUSALS.has(error.code), `upload refused with ${error.code}`);
        assert.equal(typeof error.message, 'string');
        if (status !== 413) assert.match(retryAfter ?? '', /^\d+$/);
      }
      assert.ok((counts.get('201') ?? 0) >= 2, 'almost no upload was stored');
      assert.ok(run.healthChecks >= 3, `only ${run.healthChecks} /health checks ran during the flood`);
      assert.ok(run.maxHealthMs < FLOOD_HEALTH_BOUND_MS, `/health took ${run.maxHealthMs.toFixed(0)} ms`);
      // Every slot was given back: the next upload is admitted.
      const next = await post(multipartBody(Buffer.from('after the flood\n'), 'after.txt'));
      assert.equal(next.status, 201, await next.text());
      // 100 bodies held at once were ~1 GB; the bodies received at once are a few.
      assert.ok(peak - rssBefore < 400, `server RSS grew from ${rssBefore.toFixed(0)} MB to a peak of ${peak.toFixed(0)} MB`);
    });
  });
}
