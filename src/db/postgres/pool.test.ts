import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type pg from 'pg';
import { BACKENDS, createTestDatabase, type TestDatabase } from '../../testing/databases.js';
import { createPgPool, isoFromTimestamptz } from './pool.js';

describe('timestamptz text to ISO', () => {
  it('rearranges UTC values as text and agrees with Date for every shape', () => {
    for (const [text, iso] of [
      ['2026-01-01 12:00:00+00', '2026-01-01T12:00:00.000Z'],
      ['2026-01-01 12:00:00.5+00', '2026-01-01T12:00:00.500Z'],
      ['2026-01-01 12:00:00.05+00', '2026-01-01T12:00:00.050Z'],
      ['2026-12-31 23:59:59.999+00', '2026-12-31T23:59:59.999Z'],
      ['2026-01-01 17:30:00.25+05:30', '2026-01-01T12:00:00.250Z'],
      ['2025-12-31 19:00:00-05', '2026-01-01T00:00:00.000Z'],
    ] as const) {
      assert.equal(isoFromTimestamptz(text), iso, text);
      assert.equal(isoFromTimestamptz(text), new Date(text).toISOString(), text);
    }
  });
});

if (BACKENDS.includes('postgres')) {
  describe('timestamptz from a real PostgreSQL in any session time zone', () => {
    let database: TestDatabase;
    let pool: pg.Pool;
    before(async () => {
      database = await createTestDatabase('postgres');
      if (database.config.backend !== 'postgres') throw new Error('expected PostgreSQL');
      pool = createPgPool(database.config.url, 1, 10_000);
    });
    after(async () => {
      await pool.end();
      await database.drop();
    });

    it('reads the same instant whatever the session time zone', async () => {
      for (const zone of ['UTC', 'Asia/Kolkata', 'America/New_York']) {
        await pool.query(`set time zone '${zone}'`);
        const { rows } = await pool.query(
          "select '2026-03-08 06:59:59.987+00'::timestamptz(3) as a, '2026-07-01 00:00:00+00'::timestamptz(3) as b",
        );
        assert.deepEqual(rows[0], { a: '2026-03-08T06:59:59.987Z', b: '2026-07-01T00:00:00.000Z' }, zone);
      }
    });
  });
}
