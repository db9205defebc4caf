import { sql, type Kysely } from 'kysely';
import { compiledOnce } from '../db/prepared.js';
import type { DB } from '../db/schema.js';

export interface Window {
  max: number;
  windowMs: number;
}

/**
 * Counts one hit in the bucket if its window still has room, in one statement: an upsert whose
 * update only applies below `max` (or when the window has ended, restarting it at one). Both
 * backends run it atomically (PostgreSQL locks the conflicting row and re-checks the condition;
 * SQLite has one writer), so parallel requests can never push a bucket past `max`. Returns the
 * bucket's window end when counted, undefined when the bucket is full.
 */
export async function countHit(db: Kysely<DB>, bucket: string, window: Window, now: Date): Promise<string | undefined> {
  const at = now.toISOString();
  const windowEnd = new Date(now.getTime() + window.windowMs).toISOString();
  const [row] = await countHitQuery(db, bucket, at, windowEnd, window.max);
  return row?.expires_at;
}

// Every login reserves a check per bucket: compiled once (see db/prepared.ts).
const countHitQuery = compiledOnce((db: Kysely<DB>, bucket: string, at: string, windowEnd: string, max: number) =>
  db
    .insertInto('rate_limits')
    .values({ bucket, hits: sql.lit(1), window_start: at, expires_at: windowEnd })
    .onConflict((oc) =>
      oc
        .column('bucket')
        .doUpdateSet((eb) => {
          const ended = eb('rate_limits.expires_at', '<=', at);
          return {
            hits: eb.case().when(ended).then(sql.lit(1)).else(eb('rate_limits.hits', '+', sql.lit(1))).end(),
            window_start: eb.case().when(ended).then(at).else(eb.ref('rate_limits.window_start')).end(),
            expires_at: eb.case().when(ended).then(windowEnd).else(eb.ref('rate_limits.expires_at')).end(),
          };
        })
        .where((eb) => eb.or([eb('rate_limits.expires_at', '<=', at), eb('rate_limits.hits', '<', max)])),
    )
    .returning('expires_at'),
);

/** When the bucket's current window ends (undefined when it has no row). */
export async function windowEnd(db: Kysely<DB>, bucket: string): Promise<string | undefined> {
  const row = await db.selectFrom('rate_limits').select('expires_at').where('bucket', '=', bucket).executeTakeFirst();
  return row?.expires_at;
}

/** Gives back one hit counted in the window ending at `expiresAt`; a hit from an ended window is gone already. */
export async function uncountHit(db: Kysely<DB>, bucket: string, expiresAt: string): Promise<void> {
  await uncountHitQuery(db, bucket, expiresAt);
}

const uncountHitQuery = compiledOnce((db: Kysely<DB>, bucket: string, expiresAt: string) =>
  db
    .updateTable('rate_limits')
    .set((eb) => ({ hits: eb('hits', '-', sql.lit(1)) }))
    .where('bucket', '=', bucket)
    .where('expires_at', '=', expiresAt)
    .where('hits', '>', sql.lit(0)),
);

export async function deleteBuckets(db: Kysely<DB>, buckets: string[]): Promise<void> {
  if (buckets.length > 0) await db.deleteFrom('rate_limits').where('bucket', 'in', buckets).execute();
}

export async function deleteEndedWindows(db: Kysely<DB>, now: string): Promise<number> {
  const result = await db.deleteFrom('rate_limits').where('expires_at', '<=', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}
