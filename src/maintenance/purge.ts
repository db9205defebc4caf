import type { FastifyBaseLogger } from 'fastify';
import type { AppContext } from '../app-context.js';
import { purgeLoginFailures, throttleLimits } from '../auth/login-throttle.js';
import { purgeOldDevices } from '../auth/devices.js';
import { purgeExpiredSessions } from '../auth/sessions.js';
import { purgeInactiveGuests } from '../auth/service.js';
import { refreshPlannerStatistics } from '../db/planner-statistics.js';
import { purgeEndedWindows } from '../limits/service.js';
import { purgeUnclaimedLegacyWork } from '../legacy/service.js';
import { purgeFinishedMail } from '../mail/outbox.js';
import { deleteExpiredAccountTokens } from '../auth/account-tokens.js';
import { nowIso } from '../db/values.js';

export interface PurgeResult {
  expiredSessions: number;
  loginFailures: number;
  rateLimits: number;
  inactiveGuests: number;
  /** Legacy sessions whose unclaimed work was removed after LEGACY_CLAIM_DAYS. */
  unclaimedLegacyWork: number;
  accountTokens: number;
  finishedMail: number;
  oldDevices: number;
}

/**
 * Deletes what has expired. Idempotent, so every instance may run it: two instances purging
 * at once just find less to delete.
 */
export async function purgeExpired(ctx: AppContext, now = new Date()): Promise<PurgeResult> {
  return {
    expiredSessions: await purgeExpiredSessions(ctx.db, now),
    loginFailures: await purgeLoginFailures(ctx.db, throttleLimits(ctx.config), now),
    rateLimits: await purgeEndedWindows(ctx.db, now),
    inactiveGuests: await purgeInactiveGuests(ctx.db, ctx.config.guestTtlDays, now),
    unclaimedLegacyWork: await purgeUnclaimedLegacyWork(ctx.db, ctx.config, now),
    accountTokens: await deleteExpiredAccountTokens(ctx.db, nowIso(now)),
    finishedMail: await purgeFinishedMail(ctx.db, now),
    oldDevices: await purgeOldDevices(ctx.db, now),
  };
}

/**
 * Runs the purge periodically, then refreshes SQLite's planner statistics where they have gone
 * stale (after the deletes, which change table sizes). The timer never keeps the process alive.
 * Returns a stop function.
 */
export function startPurgeTimer(ctx: AppContext, log: FastifyBaseLogger): () => void {
  const seconds = ctx.config.purgeIntervalSeconds;
  if (seconds <= 0) return () => {};
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    purgeExpired(ctx)
      .then(async (result) => {
        log.info({ purge: result }, 'purged expired rows');
        await refreshPlannerStatistics(ctx.db);
      })
      .catch((error: unknown) => log.warn({ err: error }, 'maintenance failed; will retry'))
      .finally(() => {
        running = false;
      });
  }, seconds * 1000);
  timer.unref();
  return () => clearInterval(timer);
}
