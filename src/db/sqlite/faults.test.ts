import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { createTestApp } from '../../testing/app.js';
import { BACKENDS } from '../../testing/databases.js';
import { LogCapture } from '../../testing/logs.js';

if (BACKENDS.includes('sqlite')) {
  describe('SQLite faults', () => {
    it('answers 503 database_busy with Retry-After while another process holds the write lock past the busy timeout', async () => {
      const t = await createTestApp('sqlite');
      const other = new BetterSqlite3(t.testDatabase.location);
      try {
        const client = await t.registeredClient();
        const first = await client.put('/api/ps101', { revision: 0, answers: { '1.1': 'before the lock' } });
        assert.equal(first.status, 200, JSON.stringify(first.body));

        // Another process (a backup tool, a sqlite3 shell) takes the write lock and keeps it.
        other.exec('begin immediate');
        other.prepare("insert into login_failures (subject, failed_at) values ('ip:x', '2026-01-01T00:00:00.000Z')").run();
        const blocked = await client.put('/api/ps101', { revision: 1, answers: { '1.1': 'during the lock' } });
        assert.equal(blocked.status, 503);
        assert.equal(blocked.body.error.code, 'database_busy');
        assert.equal(blocked.headers['retry-after'], '2');
        // Readers are not blocked (WAL), so the instance stays healthy.
        assert.equal((await client.get('/api/ps101')).body.answers['1.1'], 'before the lock');
        assert.equal((await client.get('/health')).status, 200);

        other.exec('rollback');
        const after = await client.put('/api/ps101', { revision: 1, answers: { '1.1': 'after the lock' } });
        assert.equal(after.status, 200, 'the blocked write was not applied, and the next one is');
        assert.equal(after.body.revision, 2);
      } finally {
        other.close();
        await t.close();
      }
    });

    it('fails /health/ready and answers writes 503 with one clear log line when the data directory disappears', async () => {
      const logs = new LogCapture();
      const t = await createTestApp('sqlite', {}, { logs });
      try {
        const client = await t.registeredClient();
        assert.equal((await client.put('/api/ps101', { revision: 0, answers: { '1.1': 'kept' } })).status, 200);

        fs.rmSync(t.testDatabase.dataDir, { recursive: true, force: true });

        const health = await client.get('/health/ready');
        assert.equal(health.status, 503);
        assert.equal(health.body.error.code, 'database_unavailable');
        assert.equal((await client.get('/health')).status, 200, 'liveness does not depend on the database');
        const write = await client.put('/api/ps101', { revision: 1, answers: { '1.1': 'would be lost' } });
        assert.equal(write.status, 503);
        assert.equal(write.body.error.code, 'database_unavailable');
        assert.equal(write.headers['retry-after'], '30');
        const lines = logs.entries().filter((entry) => entry.reqId === write.headers['x-request-id'] && entry.level === 50);
        assert.equal(lines.length, 1, 'one error line for the refused write');
        assert.match(String(lines[0]!.msg), /^database storage: SQLite file .*mosaic\.db is missing or not writable \(ENOENT\)$/);
        assert.equal(lines[0]!.stack, undefined);
      } finally {
        await t.close();
      }
    });
  });
}
