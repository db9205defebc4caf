import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { DatabaseConfig } from '../config.js';
import type { Backend } from '../db/connection.js';

/** The backends this run tests: TEST_BACKENDS, default both. */
export const BACKENDS: Backend[] = (process.env.TEST_BACKENDS ?? 'sqlite,postgres')
  .split(',')
  .map((b) => b.trim())
  .filter((b): b is Backend => b === 'sqlite' || b === 'postgres');

export interface TestDatabase {
  config: DatabaseConfig;
  /** A postgres URL or a SQLite file path, as `mosaic db copy` takes them. */
  location: string;
  /** The data directory for SQLite (where a server process would put mosaic.db). */
  dataDir: string;
  drop(): Promise<void>;
}

function adminUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set: run the tests with `npm test`');
  return url;
}

/** A fresh, empty database of its own: a new PostgreSQL database, or a SQLite file in a new folder. */
export async function createTestDatabase(backend: Backend): Promise<TestDatabase> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mosaic-test-'));
  if (backend === 'sqlite') {
    const file = path.join(dataDir, 'mosaic.db');
    return {
      config: { backend: 'sqlite', file, synchronous: 'full' },
      location: file,
      dataDir,
      drop: async () => fs.rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const name = `mosaic_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return {
    config: { backend: 'postgres', url: url.toString(), poolMax: 5, statementTimeoutMs: 30_000 },
    location: url.toString(),
    dataDir,
    drop: async () => {
      fs.rmSync(dataDir, { recursive: true, force: true });
      const client = new pg.Client({ connectionString: adminUrl() });
      await client.connect();
      try {
        await client.query(`drop database if exists ${name} with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}
