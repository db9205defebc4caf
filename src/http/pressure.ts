import { monitorEventLoopDelay, performance, type IntervalHistogram } from 'node:perf_hooks';
import { Type, type Static } from 'typebox';
import type { FastifyInstance } from 'fastify';
import type { PressureConfig } from '../config.js';
import { publishUnavailable } from '../metrics/events.js';
import { sendError } from './error-body.js';
import { RECENT_MS, RecentCompletions } from './recent-completions.js';

const RETRY_AFTER_SECONDS = 2;
const MB = 1024 * 1024;
/** How often the verdict is renewed, from the delays measured since the last one. */
export const PRESSURE_WINDOW_MS = 500;
/** The event-loop delay histogram's sampling step: the finest delay it can tell apart. */
const RESOLUTION_MS = 10;
/**
 * Windows in a row that must be late before anything is shed. One late window is a pause (a
 * full garbage collection, one long synchronous task) whose backlog is served right after it;
 * shedding then would refuse work the loop has just become free to do. A backlog the loop
 * cannot serve keeps it late window after window.
 */
export const SUSTAINED_WINDOWS = 2;

export { alwaysAdmitted, waitsOutside } from './route-config.js';
/**
 * Below this many requests in flight nothing is shed by the in-flight limit, whatever the
 * measured rate says: a burst of a few dozen (a page's requests from many tabs, the bench's 20
 * and 50 connections, a slow machine serving a modest load) is always let in. Above it the
 * limit keeps a flood of heavy requests to about what completes within the target.
 */
export const MIN_IN_FLIGHT = 32;
/** The loop counts as saturated (its completions measure what it can serve) from this busy share. */
const SATURATED = 0.9;
/** Fewer recent completions than this say nothing about the typical time in the server. */
const MIN_COMPLETIONS = 8;

export interface PressureSample {
  underPressure: boolean;
  /** The p99 of the event-loop delay over the last window: how long a new request waited to be read. */
  queueDelayP99Ms: number;
  /** Requests in flight beyond which new ones are shed, or null while the server is not saturated. */
  inFlightLimit: number | null;
  inFlight: number;
  /** Share of the last window the loop was busy: reported, never a reason to shed. */
  eventLoopUtilization: number;
  heapUsedBytes: number;
  rssBytes: number;
}

/**
 * Measures how long work waits for the event loop and decides whether to shed. A request that
 * arrives is read when the loop comes round to it, so the loop's delay is the queueing delay
 * every new request pays before its handler runs. Busy is not late: a loop busy 100 % of the
 * time that still comes round within milliseconds is serving everything it is sent, so
 * utilization is reported but never sheds (it shed 35–85 % of who-am-I at 20 connections).
 *
 * The delay is measured from the moment the app is ready, so start-up work (loading modules,
 * migrating) never counts, and no verdict is given before a first full window was measured.
 */
export class PressureMonitor {
  readonly #config: PressureConfig;
  readonly #histogram: IntervalHistogram;
  #timer: NodeJS.Timeout | undefined;
  #lastTick = 0;
  #lateWindows = 0;
  #saturatedWindows = 0;
  #lastUtilization = performance.eventLoopUtilization();
  #inFlight = 0;
  #startedAt = 0;
  readonly #recent = new RecentCompletions();
  #inFlightLimit = Number.POSITIVE_INFINITY;
  #sample: PressureSample = { underPressure: false, queueDelayP99Ms: 0, inFlightLimit: null, inFlight: 0, eventLoopUtilization: 0, heapUsedBytes: 0, rssBytes: 0 };

  constructor(config: PressureConfig) {
    this.#config = config;
    this.#histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  }

  get underPressure(): boolean {
    return this.#sample.underPressure;
  }

  /**
   * Whether one more request may start: refused while the loop is late (above), or while the
   * requests already in flight would keep a new one waiting longer than the target. By
   * Little's law that wait is in-flight / completions per second, measured only while the server
   * is saturated (then completions are what it can serve): at 50 connections of who-am-I the
   * limit is in the thousands; under a flood of heavy requests it keeps the admitted ones to what
   * finishes within the target, with the loop or the database still fully used.
   */
  admits(): boolean {
    return !this.#sample.underPressure && this.#inFlight < this.#inFlightLimit;
  }

  /** Counts a request in flight until `done` is called (once). */
  begin(): () => void {
    this.#inFlight++;
    const startedAt = performance.now();
    let open = true;
    return () => {
      if (!open) return;
      open = false;
      this.#inFlight--;
      this.#recent.record(startedAt, performance.now());
    };
  }

  /** The last window's figures, with memory read now. */
  get sample(): PressureSample {
    const memory = process.memoryUsage();
    return { ...this.#sample, heapUsedBytes: memory.heapUsed, rssBytes: memory.rss };
  }

  start(): void {
    if (this.#timer) return;
    this.#lateWindows = 0;
    this.#saturatedWindows = 0;
    this.#histogram.reset();
    this.#histogram.enable();
    this.#lastTick = performance.now();
    this.#startedAt = this.#lastTick;
    this.#recent.clear();
    this.#lastUtilization = performance.eventLoopUtilization();
    this.#timer = setInterval(() => this.#judge(), PRESSURE_WINDOW_MS);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#histogram.disable();
  }

  #judge(): void {
    const now = performance.now();
    const elapsed = now - this.#lastTick;
    // A loop blocked for the whole window leaves no sample; this timer's own lateness says it.
    const late = Math.max(0, elapsed - PRESSURE_WINDOW_MS);
    const p99 = this.#histogram.count > 0 ? this.#histogram.percentile(99) / 1e6 : 0;
    const queueDelayP99Ms = Math.max(p99 - RESOLUTION_MS, late, 0);
    this.#histogram.reset();
    this.#lastTick = now;
    const utilization = performance.eventLoopUtilization(this.#lastUtilization).utilization;
    this.#lastUtilization = performance.eventLoopUtilization();
    const { maxQueueMs, maxHeapUsedMb, maxRssMb } = this.#config;
    const recent = this.#recent.summary(now);
    const perSecond = (recent.count * 1000) / Math.max(PRESSURE_WINDOW_MS, Math.min(RECENT_MS, now - this.#startedAt));
    // Only a server saturated for a while measures what it can serve by its completions: its loop
    // busy, or its typical request spending longer than the target inside it. The second is how
    // a queue shows when the loop is not what is short: requests waiting for the database's
    // connections, or for a CPU the database shares, while the loop idles (seconds of waiting on
    // PostgreSQL with nothing shed). An idle server's completions say only how little it was
    // asked, and one busy or slow window (a long task) is a pause.
    const queued = recent.count >= MIN_COMPLETIONS && recent.medianMs > maxQueueMs;
    this.#saturatedWindows = utilization >= SATURATED || queued ? this.#saturatedWindows + 1 : 0;
    this.#inFlightLimit =
      maxQueueMs > 0 && this.#saturatedWindows >= SUSTAINED_WINDOWS && perSecond > 0
        ? Math.max(MIN_IN_FLIGHT, Math.ceil((perSecond * maxQueueMs) / 1000))
        : Number.POSITIVE_INFINITY;
    this.#lateWindows = maxQueueMs > 0 && queueDelayP99Ms > maxQueueMs ? this.#lateWindows + 1 : 0;
    // Memory is read only when a limit asks for it (a heap walk is not free).
    const memory = maxHeapUsedMb > 0 || maxRssMb > 0 ? process.memoryUsage() : undefined;
    const underPressure =
      this.#lateWindows >= SUSTAINED_WINDOWS ||
      (memory !== undefined && maxHeapUsedMb > 0 && memory.heapUsed > maxHeapUsedMb * MB) ||
      (memory !== undefined && maxRssMb > 0 && memory.rss > maxRssMb * MB);
    this.#sample = {
      underPressure,
      queueDelayP99Ms,
      inFlightLimit: Number.isFinite(this.#inFlightLimit) ? this.#inFlightLimit : null,
      inFlight: this.#inFlight,
      eventLoopUtilization: utilization,
      heapUsedBytes: memory?.heapUsed ?? 0,
      rssBytes: memory?.rss ?? 0,
    };
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    pressure: PressureMonitor;
  }
}

/**
 * Sheds load only when it cannot be served in time: while the p99 of the event-loop delay has
 * been above `PRESSURE_MAX_QUEUE_MS` in two 500 ms windows in a row, while the requests in
 * flight on a saturated server would keep a new one waiting longer than that (`admits`), or
 * while memory is past a limit, if one is set,
 * new requests get 503 `overloaded` at once (a few microseconds each), so those already
 * admitted finish. Health checks and metrics are always admitted.
 */
export function registerLoadShedding(app: FastifyInstance, config: PressureConfig): void {
  const monitor = new PressureMonitor(config);
  app.decorate('pressure', monitor);
  app.addHook('onReady', async () => monitor.start());
  app.addHook('onClose', async () => monitor.stop());
  // A callback hook: it runs on every request and does no I/O.
  app.addHook('onRequest', (request, reply, done) => {
    const config = request.routeOptions.config;
    if (config.admittedUnderPressure) {
      done();
      return;
    }
    if (!monitor.admits()) {
      // Counted in the metrics, not logged: a log line per shed request would add to the load.
      publishUnavailable({ reason: 'overloaded' });
      reply.header('retry-after', String(RETRY_AFTER_SECONDS));
      sendError(reply, 503, 'overloaded', 'The server is overloaded; try again shortly.');
      return;
    }
    if (!config.waitsOutside) reply.raw.once('close', monitor.begin());
    done();
  });
}

/** What /health reports about load (its response schema, and the type below). */
export const PressureReport = Type.Object({
  underPressure: Type.Boolean(),
  eventLoopDelayMs: Type.Number({ description: 'p99 of the event-loop delay over the last 500 ms: the queueing delay a new request pays' }),
  eventLoopUtilization: Type.Number(),
  inFlight: Type.Integer({ description: 'requests counted in flight now' }),
  inFlightLimit: Type.Union([Type.Integer(), Type.Null()], { description: 'in flight beyond which new requests are shed; null while the server is not saturated' }),
  heapUsedBytes: Type.Integer(),
  rssBytes: Type.Integer(),
});
export type PressureReport = Static<typeof PressureReport>;

/** What /health reports about load. */
export function pressureReport(app: FastifyInstance): PressureReport {
  const sample = app.pressure.sample;
  return {
    underPressure: sample.underPressure,
    eventLoopDelayMs: Math.round(sample.queueDelayP99Ms * 10) / 10,
    eventLoopUtilization: Math.round(sample.eventLoopUtilization * 1000) / 1000,
    inFlight: sample.inFlight,
    inFlightLimit: sample.inFlightLimit,
    heapUsedBytes: sample.heapUsedBytes,
    rssBytes: sample.rssBytes,
  };
}
