import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { createTestDatabase, BACKENDS, type TestDatabase } from '../testing/databases.js';
import { startServerProcess } from '../testing/server-process.js';

const BIN = fileURLToPath(new URL('../../bin/mosaic.js', import.meta.url));

/** The environment with everything that would declare the data persistent unset (undefined). */
function bareEnv(extra: Record<string, string>): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...process.env, ...extra };
  for (const name of ['DATABASE_URL', 'MOSAIC_DATA_PERSISTENT', 'RAILWAY_VOLUME_MOUNT_PATH']) {
    if (!(name in extra)) env[name] = undefined;
  }
  return env;
}

function runServe(env: Record<string, string | undefined>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'serve'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

async function health(url: string) {
  return (await (await fetch(`${url}/health`)).json()) as { database: { persistent: boolean; persistence: string } };
}

describe('ephemeral-disk guard', () => {
  const made: TestDatabase[] = [];
  const sqlite = async () => {
    const database = await createTestDatabase('sqlite');
    made.push(database);
    return database;
  };
  after(async () => {
    for (const database of made) await database.drop();
  });

  it('refuses to start in production on undeclared SQLite: exit 2 and a one-line fix', async () => {
    const database = await sqlite();
    const result = await runServe(bareEnv({ NODE_ENV: 'production', MOSAIC_DATA_DIR: database.dataDir, PORT: '0', LOG_LEVEL: 'warn' }));
    assert.equal(result.code, 2);
    const lines = result.stderr.trim().split('\n');
    assert.equal(lines.length, 1, result.stderr);
    assert.match(lines[0]!, /^mosaic: invalid configuration: refusing to start in production on SQLite .* Fix: set DATABASE_URL .* MOSAIC_DATA_PERSISTENT=true\.$/);
  });

  it('starts in production when MOSAIC_DATA_PERSISTENT=true, and /health says so', async () => {
    const database = await sqlite();
    const server = await startServerProcess(database, bareEnv({ NODE_ENV: 'production', MOSAIC_DATA_PERSISTENT: 'true' }));
    try {
      const body = await health(server.url);
      assert.equal(body.database.persistent, true);
      assert.match(body.database.persistence, /MOSAIC_DATA_PERSISTENT=true/);
      assert.ok(!body.database.persistence.includes(database.dataDir), 'no filesystem path in /health');
    } finally {
      assert.equal(await server.stop(), 0);
    }
  });

  it('starts in production when the data directory is on the Railway volume', async () => {
    const database = await sqlite();
    const volume = path.dirname(database.dataDir);
    const server = await startServerProcess(database, bareEnv({ NODE_ENV: 'production', RAILWAY_VOLUME_MOUNT_PATH: volume }));
    try {
      const body = await health(server.url);
      assert.equal(body.database.persistent, true);
      assert.match(body.database.persistence, /Railway volume/);
      assert.ok(!body.database.persistence.includes(volume), 'no filesystem path in /health');
    } finally {
      await server.stop();
    }
  });

  it('reports persistent false outside production on undeclared SQLite, true on PostgreSQL', async () => {
    const database = await sqlite();
    const server = await startServerProcess(database, bareEnv({ NODE_ENV: 'development' }));
    try {
      const body = await health(server.url);
      assert.equal(body.database.persistent, false);
      assert.match(body.database.persistence, /not declared persistent/);
      assert.ok(!body.database.persistence.includes(database.dataDir), 'no filesystem path in /health');
    } finally {
      await server.stop();
    }
    if (BACKENDS.includes('postgres')) {
      const pg = await createTestDatabase('postgres');
      made.push(pg);
      const onPg = await startServerProcess(pg, { NODE_ENV: 'production' });
      try {
        assert.equal((await health(onPg.url)).database.persistent, true);
      } finally {
        await onPg.stop();
      }
    }
  });
});
