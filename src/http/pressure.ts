import underPressure from '@fastify/under-pressure';
import { Type, type Static } from 'typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { PressureConfig } from '../config.js';
import { publishUnavailable } from '../metrics/events.js';
import type { ErrorBody } from './error-handler.js';

const RETRY_AFTER_SECONDS = 2;
const MB = 1024 * 1024;

/** Route config that lets a route through even under pressure (health checks, metrics). */
export const alwaysAdmitted = { pressureHandler: () => undefined };

/**
 * Sheds load instead of queueing it: while the event loop lags or is saturated, or memory is
 * past its limit, new requests get 503 `overloaded` at once (a few microseconds each) so
 * the requests already admitted finish in bounded time. Sampled every 500 ms.
 */
export async function registerLoadShedding(app: FastifyInstance, config: PressureConfig): Promise<void> {
  await app.register(underPressure, {
    maxEventLoopDelay: config.maxEventLoopDelayMs,
    maxEventLoopUtilization: config.maxEventLoopUtilization,
    maxHeapUsedBytes: config.maxHeapUsedMb * MB,
    maxRssBytes: config.maxRssMb * MB,
    sampleInterval: 500,
    // The default is cumulative since start; load shedding needs the recent utilization.
    eventLoopUtilizationMode: 'interval',
    // The returned body is sent by the plugin, which then ends the request.
    pressureHandler: ((_request: FastifyRequest, reply: FastifyReply) => {
      // Counted in the metrics, not logged: a log line per shed request would add to the load.
      publishUnavailable({ reason: 'overloaded' });
      reply.code(503).header('retry-after', String(RETRY_AFTER_SECONDS));
      return { error: { code: 'overloaded', message: 'The server is overloaded; try again shortly.' } } satisfies ErrorBody;
    }) as unknown as () => void,
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
