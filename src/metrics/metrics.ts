import type { FastifyInstance, FastifyReply, FastifyRequest, onResponseHookHandler } from 'fastify';
import type { Kysely } from 'kysely';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { poolStats } from '../db/connection.js';
import type { DB } from '../db/schema.js';
import { mailChannel, unavailableChannel, type MailEvent, type UnavailableEvent } from './events.js';

const UNAVAILABLE_LABELS: Record<UnavailableEvent['reason'], string> = {
  unreachable: 'database_unreachable',
  busy: 'sqlite_busy',
  storage: 'sqlite_storage',
  overloaded: 'overloaded',
};

const LOGIN_OUTCOMES: Record<number, string> = { 200: 'success', 401: 'failed', 429: 'throttled' };

/**
 * The instance's metrics, in a registry of its own (several apps may share a process in the
 * tests). Request latency is labelled by route pattern, never the raw URL, so ids in paths
 * cannot blow up the number of series.
 */
/** What the metrics read that capabilities own, handed in by the server (no module globals). */
export interface MetricSources {
  /** Documents waiting for a text-extraction worker. */
  extractionQueueSize(): number;
}

export function registerMetrics(app: FastifyInstance, db: Kysely<DB>, sources: MetricSources): Registry {
  const registry = new Registry();
  // Node's own: event-loop delay (nodejs_eventloop_lag_*), heap (nodejs_heap_*), RSS, GC, handles.
  collectDefaultMetrics({ register: registry });

  const requests = new Histogram({
    name: 'mosaic_http_request_duration_seconds',
    help: 'HTTP requests by route pattern, method and status: latency histogram (its _count is the request count)',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const logins = new Counter({
    name: 'mosaic_logins_total',
    help: 'Login attempts by outcome: success, failed (wrong email or password), throttled (429)',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const unavailable = new Counter({
    name: 'mosaic_unavailable_total',
    help: 'Requests answered 503 by cause: database_unreachable, sqlite_busy, sqlite_storage, overloaded (shed)',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  const pool = (name: string, help: string, read: (stats: NonNullable<ReturnType<typeof poolStats>>) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        const stats = poolStats(db);
        if (stats) this.set(read(stats));
      },
    });
  pool('mosaic_db_pool_size', 'PostgreSQL connections open in the pool', (s) => s.size);
  pool('mosaic_db_pool_idle', 'PostgreSQL connections open and idle', (s) => s.idle);
  pool('mosaic_db_pool_waiting', 'Queries waiting for a PostgreSQL connection', (s) => s.waiting);
  new Gauge({
    name: 'mosaic_extraction_queue_length',
    help: 'Documents waiting for a text-extraction worker',
    registers: [registry],
    collect() {
      this.set(sources.extractionQueueSize());
    },
  });

  const mail = new Counter({
    name: 'mosaic_mail_total',
    help: 'Mail delivery attempts by kind and outcome: sent, retry (failed, will be retried), failed (given up)',
    labelNames: ['kind', 'outcome'] as const,
    registers: [registry],
  });

  const onUnavailable = (message: unknown) => {
    unavailable.inc({ reason: UNAVAILABLE_LABELS[(message as UnavailableEvent).reason] });
  };
  const onMail = (message: unknown) => {
    const event = message as MailEvent;
    mail.inc({ kind: event.kind, outcome: event.outcome });
  };
  unavailableChannel.subscribe(onUnavailable);
  mailChannel.subscribe(onMail);
  app.addHook('onClose', async () => {
    unavailableChannel.unsubscribe(onUnavailable);
    mailChannel.unsubscribe(onMail);
  });

  const observe = (route: string, request: FastifyRequest, reply: FastifyReply) => {
    const status = reply.statusCode;
    requests.observe({ route, method: request.method, status }, reply.elapsedTime / 1000);
    if (route === '/api/auth/login' && LOGIN_OUTCOMES[status]) logins.inc({ outcome: LOGIN_OUTCOMES[status] });
  };
  // Each route observes under its own pattern, known when it is registered: asking Fastify
  // for it per request (`request.routeOptions`) builds an object of twelve fields each time.
  // Callback hooks: they run on every request and do no I/O.
  app.addHook('onRoute', (route) => {
    const pattern = route.url;
    const hook: onResponseHookHandler = (request, reply, done) => {
      observe(pattern, request, reply);
      done();
    };
    route.onResponse = [...[route.onResponse ?? []].flat(), hook];
  });
  // Requests no route matched (404, and 405 from the route table) go to the not-found handler.
  app.addHook('onResponse', (request, reply, done) => {
    if (request.is404) observe('unmatched', request, reply);
    done();
  });
  return registry;
}
