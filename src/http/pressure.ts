import underPressure from '@fastify/under-pressure';
import { Type, type Static } from 'typebox';
import type { FastifyInstance } from 'fastify';
import type { PressureConfig } from '../config.js';
import { publishUnavailable } from '../metrics/events.js';
import { sendError } from './error-body.js';

const RETRY_AFTER_SECONDS = 2;
const MB = 1024 * 1024;

/** Route config that lets a route through even under pressure (health checks, metrics). */
export const alwaysAdmitted = { admittedUnderPressure: true };

/**
 * Sheds load instead of queueing it: while the event loop lags or is saturated, or memory is
 * past its limit, new requests get 503 `overloaded` at once (a few microseconds each) so
 * the requests already admitted finish in bounded time. Sampled every 500 ms.
 *
 * under-pressure samples; its own onRequest hook is kept off the routes, because it asks for
 * `request.routeOptions` (an object of twelve fields, built per call) on every request, under
 * pressure or not: ~7,000 of who-am-I's ~260,000 instructions (callgrind). So the plugin is
 * registered in a context of its own, which has no routes, and one hook here asks its verdict,
 * reading the route's config only while shedding.
 */
export async function registerLoadShedding(app: FastifyInstance, config: PressureConfig): Promise<void> {
  let sampler: FastifyInstance | undefined;
  await app.register(async (own) => {
    await own.register(underPressure, {
      maxEventLoopDelay: config.maxEventLoopDelayMs,
      maxEventLoopUtilization: config.maxEventLoopUtilization,
      maxHeapUsedBytes: config.maxHeapUsedMb * MB,
      maxRssBytes: config.maxRssMb * MB,
      sampleInterval: 500,
      // The default is cumulative since start; load shedding needs the recent utilization.
      eventLoopUtilizationMode: 'interval',
    });
    sampler = own;
  });
  const sampled = sampler!;
  app.decorate('isUnderPressure', () => sampled.isUnderPressure());
  app.decorate('memoryUsage', () => sampled.memoryUsage());
  // A callback hook: it runs on every request and does no I/O.
  app.addHook('onRequest', (request, reply, done) => {
    if (!sampled.isUnderPressure() || (request.routeOptions.config as { admittedUnderPressure?: boolean }).admittedUnderPressure) {
      done();
      return;
    }
    // Counted in the metrics, not logged: a log line per shed request would add to the load.
    publishUnavailable({ reason: 'overloaded' });
    reply.header('retry-after', String(RETRY_AFTER_SECONDS));
    sendError(reply, 503, 'overloaded', 'The server is overloaded; try again shortly.');
  });
}

/** What /health reports about load (its response schema, and the type below). */
export const PressureReport = Type.Object({
  underPressure: Type.Boolean(),
  eventLoopDelayMs: Type.Number(),
  eventLoopUtilization: Type.Number(),
  heapUsedBytes: Type.Integer(),
  rssBytes: Type.Integer(),
});
export type PressureReport = Static<typeof PressureReport>;

/** What /health reports about load. */
export function pressureReport(app: FastifyInstance): PressureReport {
  const usage = app.memoryUsage();
  return {
    underPressure: app.isUnderPressure(),
    eventLoopDelayMs: Math.round(usage.eventLoopDelay * 10) / 10,
    eventLoopUtilization: Math.round(usage.eventLoopUtilized * 1000) / 1000,
    heapUsedBytes: usage.heapUsed,
    rssBytes: usage.rssBytes,
  };
}
