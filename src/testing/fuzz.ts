import type { InjectOptions } from 'fastify';
import type { Backend } from '../db/connection.js';
import { createTestApp, type TestApp, type TestClient, type TestResponse } from './app.js';
import { multipartBody } from './fixtures.js';

/**
 * A seeded, bounded fuzzer for the whole HTTP API. It enumerates the route table at run time
 * (so a new route is fuzzed without editing this file) and sends hostile requests as a
 * logged-in user and as an anonymous visitor: wrong types, huge and weird strings, raw and
 * invalid bodies, odd content types and methods, ids at the edges. Every answer must be
 * below 500, free of stack traces, and every 4xx in the `{"error":{"code","message"}}` shape.
 */

export interface FuzzOptions {
  backend: Backend;
  seed: number;
  requests: number;
  onProgress?: (done: number, total: number) => void;
}

export interface FuzzFailure {
  request: string;
  status: number;
  reason: string;
  body: string;
}

export interface FuzzReport {
  backend: Backend;
  seed: number;
  requests: number;
  /** Route label (`METHOD /pattern`) → status → count. */
  counts: Map<string, Map<number, number>>;
  failures: FuzzFailure[];
}

/** mulberry32: a tiny, fast, seedable generator; the same seed replays the same requests. */
function randomSource(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = state;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  const int = (max: number) => Math.floor(next() * max);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  return { next, int, pick, chance: (p: number) => next() < p };
}
type Random = ReturnType<typeof randomSource>;

const EDGE_IDS = ['0', '-1', '1', '2', '3', '01', '1.0', '1e3', '1e20', '0x10', 'Infinity', '-Infinity', 'NaN', 'null', 'true',
  String(2 ** 53), String(2 ** 53 - 1), '9223372036854775807', '9223372036854775808', '18446744073709551616', '9'.repeat(40),
  '%00', '%zz', '%ED%A0%80', '%F0%9F%92%A9', '..%2F..%2Fetc', 'abc', ' 1', '1%20', '%2B1', '_', '~'];

function weirdString(random: Random): string {
  const pieces = [
    () => '',
    () => ' ',
    () => 'a\u0000b',
    () => '\ud800',
    () => 'x\udfffy',
    () => '\u202eevil\u202c',
    () => 'مرحبا بالعالم',
    () => '👩🏽‍💻🏳️‍🌈',
    () => 'ｆｕｌｌ＠ｗｉｄｔｈ．ｏｒｇ',
    () => 'user\u200b@example.org',
    () => 'Ann@Example.ORG ',
    () => '<script>alert(1)</script>',
    () => "'; drop table users; --",
    () => '../../etc/passwd',
    () => '\n'.repeat(random.int(5000)),
    () => '\r\n\t\u000b\u000c',
    () => 'a'.repeat(100_000),
    () => 'é'.repeat(20_001),
    () => '1.1',
    () => 'saved',
    () => `fuzz-${random.int(1e6)}@example.org`,
    () => 'correct horse battery',
  ];
  return random.pick(pieces)();
}

function weirdValue(random: Random, depth = 0): unknown {
  const kinds = [
    () => weirdString(random),
    () => random.pick([0, -1, 1, 2, 1.5, 2 ** 53, 2 ** 63, 1e20, -0, Number.MAX_SAFE_INTEGER]),
    () => random.pick([true, false, null]),
    () => (depth < 3 ? Array.from({ length: random.int(4) }, () => weirdValue(random, depth + 1)) : []),
    () => (depth < 3 ? weirdObject(random, depth + 1) : {}),
  ];
  return random.pick(kinds)();
}

const FIELDS = ['email', 'password', 'content', 'name', 'fileId', 'jobMatchId', 'status', 'notes', 'revision', 'answers',
  'currentStep', 'complete', 'currentPassword', 'newPassword', '__proto__', 'constructor', '1.1', ''];

function weirdObject(random: Random, depth = 0): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  for (let i = random.int(5); i > 0; i--) object[random.chance(0.8) ? random.pick(FIELDS) : weirdString(random).slice(0, 200)] = weirdValue(random, depth);
  return object;
}

/** A plausible body for a route, with one or two fields spoiled, so validation runs deep. */
function nearValidBody(random: Random, url: string): Record<string, unknown> {
  const base: Record<string, unknown> = url.includes('/auth/register') || url.includes('/auth/login')
    ? { email: `fuzz-${random.int(1e6)}@example.org`, password: 'correct horse battery' }
    : url.includes('/auth/password')
      ? { currentPassword: 'correct horse battery', newPassword: 'correct horse battery' }
      : url.includes('/chat')
        ? { content: 'I want to move into data work.' }
        : url.includes('/resumes')
          ? { name: 'CV', content: 'Summary\nLed a team of 5.' }
          : url.includes('/matches')
            ? { status: 'saved', notes: 'call back' }
            : url.includes('/ps101')
              ? { revision: random.int(3), answers: { '1.1': 'data' } }
              : {};
  const keys = Object.keys(base);
  for (let i = random.int(3); i > 0 && keys.length > 0; i--) base[random.pick(keys)] = weirdValue(random);
  return base;
}

const CONTENT_TYPES = ['application/json', 'application/json; charset=utf-8', 'application/json; charset=latin1', 'text/plain',
  'application/x-www-form-urlencoded', 'multipart/form-data', 'multipart/form-data; boundary=zz', 'application/octet-stream',
  'application/xml', ';;;', 'application/json, text/plain', '*/*', 'x'.repeat(2000)];

function body(random: Random, url: string): Pick<InjectOptions, 'payload' | 'headers'> {
  const choice = random.int(10);
  if (choice <= 3) return { payload: JSON.stringify(random.chance(0.5) ? nearValidBody(random, url) : weirdObject(random)), headers: { 'content-type': 'application/json' } };
  if (choice === 4) return { payload: JSON.stringify(weirdValue(random)), headers: { 'content-type': random.pick(CONTENT_TYPES) } };
  if (choice === 5) {
    const raw = random.pick(['{', '{"a":', '[1,2', 'null', '"x"', '{"a":1}garbage', '\u0000', '{"__proto__":{"admin":true}}', '{"a":"\\ud800"}', '{"a":"\\u0000"}']);
    return { payload: raw, headers: { 'content-type': 'application/json' } };
  }
  if (choice === 6) return { payload: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xc0, 0x80, 0x22, 0x7d]), headers: { 'content-type': random.pick(CONTENT_TYPES) } };
  if (choice === 7) {
    const upload = multipartBody(Buffer.from(random.pick(['plain text résumé', '%PDF-1.4 broken', '\u0000\u0001binary', 'x'.repeat(50_000)])), random.pick(['cv.txt', 'a\u0000.txt', '../../x.pdf', 'é.md', '']), random.chance(0.5) ? {} : { field: 'other' });
    if (random.chance(0.3)) return { payload: upload.payload.subarray(0, random.int(upload.payload.length)), headers: upload.headers };
    return { payload: upload.payload, headers: upload.headers };
  }
  if (choice === 8) return { payload: 'x'.repeat(random.pick([0, 1, 1024, 1024 * 1024 + 1])), headers: { 'content-type': random.pick(CONTENT_TYPES) } };
  return {};
}

function query(random: Random): string {
  if (random.chance(0.5)) return '';
  const parts: string[] = [];
  for (let i = 1 + random.int(3); i > 0; i--) {
    const key = random.pick(['limit', 'before', 'includeFiles', 'x', '__proto__', 'limit[]', '%00', '']);
    const value = random.pick([...EDGE_IDS, 'abc', '1', 'true', encodeURIComponent('é👍'), '%ff', '%', 'x'.repeat(3000)]);
    parts.push(`${key}=${value}`);
  }
  return `?${parts.join('&')}`;
}

/** Percent-encodes a segment; a lone surrogate goes as the invalid UTF-8 bytes it would be. */
function encodeSegment(value: string): string {
  try {
    return encodeURIComponent(value) || 'x';
  } catch {
    return `%ED%A0%80${encodeURIComponent(value.replace(/[\ud800-\udfff]/g, ''))}`;
  }
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', 'PROPFIND', 'SEARCH', 'MKCOL'] as const;

/** The path for a route pattern, each `:param` replaced by an id at the edge or a weird segment. */
function concretePath(random: Random, pattern: string, ownIds: number[]): string {
  return pattern.replace(/:[A-Za-z]+/g, () =>
    random.chance(0.3) && ownIds.length > 0 ? String(random.pick(ownIds)) : random.chance(0.8) ? random.pick(EDGE_IDS) : encodeSegment(weirdString(random).slice(0, 300)),
  );
}

const STACK_TRACE = /\n\s+at .+:\d+:\d+|\bat (async )?[\w.<>]+ \(.+:\d+:\d+\)/;

/** Why a response breaks the contract, or null when it keeps it. */
export function contractViolation(response: TestResponse, method: string): string | null {
  const text = response.raw.toString('utf8');
  const code = (response.body as { error?: { code?: unknown } } | undefined)?.error?.code;
  // The one deliberate 5xx a valid request can get: this Mosaic sends no mail (no SMTP_URL),
  // documented for the routes that need it. Anything else of 500 and above breaks the contract.
  if (response.status >= 500 && !(response.status === 503 && code === 'mail_not_configured')) return `status ${response.status}`;
  if (STACK_TRACE.test(text)) return 'a stack trace in the body';
  if (response.status < 400 || method === 'HEAD') return null;
  if (!String(response.headers['content-type'] ?? '').startsWith('application/json')) return `error with content type ${String(response.headers['content-type'])}`;
  const error = (response.body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  if (typeof response.body !== 'object' || response.body === null || typeof error?.code !== 'string' || typeof error.message !== 'string') {
    return 'error body is not {"error":{"code","message"}}';
  }
  if (response.raw.length > 20_000) return `error body of ${response.raw.length} bytes`;
  if (response.status === 405 && !response.headers.allow) return '405 without Allow';
  return null;
}

/** A registered user with a file, a résumé, a workbook run and job matches, so real ids exist. */
async function seededUser(t: TestApp): Promise<{ client: TestClient; ids: number[] }> {
  const client = await t.registeredClient();
  const ids: number[] = [];
  const upload = multipartBody(Buffer.from('Summary\nAnalyst skilled in SQL and spreadsheets.'), 'cv.txt');
  const file = await client.request({ method: 'POST', url: '/api/files', ...upload });
  if (file.status === 201) ids.push(file.body.file.id);
  await client.put('/api/ps101', { revision: 0, answers: { '1.1': 'sql, spreadsheets and data analysis' } });
  const resume = await client.post('/api/resumes', { name: 'CV', content: 'Summary\nLed a team of 5 analysts.' });
  if (resume.status === 201) ids.push(resume.body.resume.id);
  const matches = await client.post('/api/jobs/matches/refresh');
  for (const match of (matches.body?.matches ?? []).slice(0, 2)) ids.push(match.id);
  await client.post('/api/ps101/restart');
  const runs = await client.get('/api/ps101/runs');
  for (const run of runs.body?.runs ?? []) ids.push(run.id);
  return { client, ids };
}

export async function fuzzBackend(options: FuzzOptions): Promise<FuzzReport> {
  const random = randomSource(options.seed);
  // Generous login limits: the fuzzer fails many logins on purpose, and a 429 would hide the rest.
  const t = await createTestApp(options.backend, { loginMaxFailures: 10_000 });
  const report: FuzzReport = { backend: options.backend, seed: options.seed, requests: 0, counts: new Map(), failures: [] };
  try {
    const routes = t.app.routeTable.routes.filter((route) => route.method !== 'HEAD');
    let user = await seededUser(t);
    for (let i = 0; i < options.requests; i++) {
      const route = random.pick(routes);
      const method = random.chance(0.8) ? route.method : random.pick(METHODS);
      const unknownPath = random.chance(0.05);
      const path = unknownPath ? `/api/${encodeSegment(weirdString(random).slice(0, 500))}` : concretePath(random, route.url, user.ids);
      const loggedIn = random.chance(0.6);
      const client = loggedIn ? user.client : t.client();
      const sendsBody = method !== 'GET' && method !== 'HEAD' && random.chance(0.9);
      const { payload, headers = {} } = sendsBody ? body(random, route.url) : {};
      if (random.chance(0.1)) headers.origin = random.pick(['http://evil.example', 'https://localhost:80', 'null', 'http://localhost:80']);
      const url = `${path}${query(random)}`;
      const request: InjectOptions = { method: method as 'GET', url, headers, ...(payload === undefined ? {} : { payload }) };
      const response = await client.request(request);
      report.requests++;
      const label = unknownPath ? '(unknown path)' : `${method} ${route.url}`;
      const byStatus = report.counts.get(label) ?? new Map<number, number>();
      byStatus.set(response.status, (byStatus.get(response.status) ?? 0) + 1);
      report.counts.set(label, byStatus);
      const violation = contractViolation(response, method);
      if (violation) {
        report.failures.push({ request: `${method} ${url.slice(0, 200)}`, status: response.status, reason: violation, body: response.raw.toString('utf8').slice(0, 300) });
      }
      // The fuzzer may have logged its user out or deleted the account: start again with a new one.
      if (loggedIn && response.status === 401) user = await seededUser(t);
      options.onProgress?.(i + 1, options.requests);
    }
  } finally {
    await t.close();
  }
  return report;
}

/** Counts per route and status, one line per route, for a person to read. */
export function formatReport(report: FuzzReport): string {
  const lines = [`fuzz on ${report.backend} (seed ${report.seed}): ${report.requests} requests, ${report.failures.length} outside the contract`];
  for (const [label, byStatus] of [...report.counts].sort(([a], [b]) => a.localeCompare(b))) {
    const statuses = [...byStatus].sort(([a], [b]) => a - b).map(([status, count]) => `${status}×${count}`).join(' ');
    lines.push(`  ${label.padEnd(40)} ${statuses}`);
  }
  for (const failure of report.failures.slice(0, 20)) {
    lines.push(`  FAIL ${failure.request} → ${failure.status}: ${failure.reason}: ${failure.body}`);
  }
  return lines.join('\n');
}
