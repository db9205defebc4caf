import { createHash } from 'node:crypto';
import { nowIso } from '../../src/db/values.js';
import { releaseBuffer } from '../../src/http/release-after-send.js';
import { multipartBody } from '../../src/testing/fixtures.js';
import { buildPdf } from '../pdf.js';
import { inPgTransaction, withEmptyServer, type BenchBackend } from '../backends.js';
import { loadDownload, loadDriver, loadRoute, writeCeilings } from '../load.js';
import { CONNECTIONS, DURATION_SECONDS, type Measurement } from '../settings.js';
import { format, type Row } from '../report.js';
import { processCpuMs, processMemoryMb, resetPeakMemory } from '../proc.js';

const PDF = buildPdf(1024 * 1024);
const SHA = createHash('sha256').update(PDF).digest('hex');
/** The bytes the download scenario stores, which the bare Fastify 1 MB route also sends. */
export const DOWNLOAD_BYTES = PDF;

/**
 * The server's resident memory while `work` runs: the kernel's high-water mark, reset just
 * before (`VmHWM` after `clear_refs`), so a peak between two samples is not missed; a 50 ms
 * VmRSS sample where the reset is refused. Says which it measured.
 */
async function peakRss<T>(pid: number, work: () => Promise<T>): Promise<{ result: T; peak: number; how: string }> {
  const exact = resetPeakMemory(pid);
  let sampled = processMemoryMb(pid, 'VmRSS');
  const timer = setInterval(() => (sampled = Math.max(sampled, processMemoryMb(pid, 'VmRSS'))), 50);
  try {
    const result = await work();
    const peak = exact ? Math.max(sampled, processMemoryMb(pid, 'VmHWM')) : sampled;
    return { result, peak, how: exact ? 'VmHWM' : 'VmRSS sampled every 50 ms' };
  } finally {
    clearInterval(timer);
  }
}

async function driverInsertFile(b: BenchBackend, userId: number): Promise<void> {
  const now = nowIso();
  const driver = b.driver;
  if (driver.backend === 'postgres') {
    await inPgTransaction(driver.pool, async (client) => {
      const { rows } = await client.query(
        'insert into files (user_id, name, content_type, size, sha256, text_content, created_at) values ($1, $2, $3, $4, $5, $6, $7) returning id',
        [userId, 'resume.pdf', 'application/pdf', PDF.length, SHA, null, now],
      );
      await client.query('insert into file_contents (file_id, content) values ($1, $2)', [rows[0].id, PDF]);
    });
  } else {
    driver.sqlite.transaction(() => {
      const { id } = driver.sqlite
        .prepare('insert into files (user_id, name, content_type, size, sha256, text_content, created_at) values (?, ?, ?, ?, ?, ?, ?) returning id')
        .get(userId, 'resume.pdf', 'application/pdf', PDF.length, SHA, null, now) as { id: number };
      driver.sqlite.prepare('insert into file_contents (file_id, content) values (?, ?)').run(id, PDF);
    })();
  }
}

export interface FileBenchResult {
  rows: Row[];
  notes: string[];
}

const best = (measurements: Measurement[]) => measurements.reduce((a, m) => (m.rps > a.rps ? m : a));

/**
 * The download route and the bare Fastify route sending the same bytes, measured by the same
 * body-discarding client in the order bare, route, route, bare, each of the two figures the
 * better of its two rounds: the machine is shared, and a neighbour's burst during one round
 * then costs that round, not the comparison. Also the server CPU each spends per response
 * (/proc's utime + stime over the requests served), which the neighbours do not change.
 */
async function downloadBesideBare(b: BenchBackend, path: string, cookie: string) {
  return withEmptyServer(PDF, async (bareUrl, barePid) => {
    const rounds = { route: [] as Measurement[], bare: [] as Measurement[] };
    const cpuMs = { route: 0, bare: 0 };
    const measure = async (which: 'route' | 'bare') => {
      const pid = which === 'route' ? b.server.child.pid! : barePid;
      const before = processCpuMs(pid);
      const m =
        which === 'route'
          ? await loadDownload(b.server.url, { path, headers: { cookie }, expectedBytes: PDF.length })
          : await loadDownload(bareUrl, { path: '/megabyte', expectedBytes: PDF.length });
      cpuMs[which] += processCpuMs(pid) - before;
      rounds[which].push(m);
    };
    for (const which of ['bare', 'route', 'route', 'bare'] as const) await measure(which);
    const served = (ms: Measurement[]) => ms.reduce((n, m) => n + m.rps * DURATION_SECONDS, 0);
    return {
      download: best(rounds.route),
      bare: best(rounds.bare),
      cpu: { rounds, routeMs: cpuMs.route / served(rounds.route), bareMs: cpuMs.bare / served(rounds.bare) },
    };
  });
}

/** Upload and download of a 1 MB PDF, with the server's peak RSS during CONNECTIONS concurrent uploads. */
export async function benchFiles(b: BenchBackend): Promise<FileBenchResult> {
  const client = await b.newUser();
  const userId = (await client.request('GET', '/api/auth/me')).body.user.id as number;
  const { payload: body, headers } = multipartBody(PDF, 'resume.pdf', { declaredType: 'application/pdf' });
  const pid = b.server.child.pid!;
  const post = { path: '/api/files', method: 'POST' as const, headers: { cookie: client.cookie, ...headers }, body };
  // One upload first: it loads the type detector and starts the extraction thread with pdf.js,
  // once per process, which is not memory the uploads in flight hold.
  const cold = processMemoryMb(pid, 'VmRSS');
  const warm = await fetch(`${b.server.url}${post.path}`, { method: 'POST', headers: post.headers, body });
  if (warm.status !== 201) throw new Error(`warm-up upload answered ${warm.status}: ${await warm.text()}`);
  const baseline = processMemoryMb(pid, 'VmRSS');
  const { result: upload, peak, how } = await peakRss(pid, () => loadRoute(b.server.url, post));
  const { ceiling: uploadCeiling, ceilingNormal: uploadCeilingNormal } = await writeCeilings(b, () => driverInsertFile(b, userId));

  const listed = await client.request('GET', '/api/files');
  const fileId = listed.body.files[0].id as number;
  const { download, bare, cpu } = await downloadBesideBare(b, `/api/files/${fileId}/content`, client.cookie);
  const driver = b.driver;
  const select = driver.backend === 'sqlite' ? driver.sqlite.prepare('select content from file_contents where file_id = ?') : null;
  // The driver frees each copy of the bytes at once, as the route does once it has sent them:
  // left to V8, a stream of fresh 1 MB buffers can drive a process into back-to-back full
  // collections (ARCHITECTURE, downloads after other traffic). On SQLite the ceiling still
  // moves ~3× with where the file's pages are: still in the WAL, they are read through the page
  // cache; once checkpointed, SQLite reads overflow pages straight from the file, 256 reads of
  // 4 KiB per MB.
  const downloadCeiling = await loadDriver(async () => {
    const row = (
      driver.backend === 'postgres'
        ? (await driver.pool.query('select content from file_contents where file_id = $1', [fileId])).rows[0]
        : select!.get(fileId)
    ) as { content: Uint8Array } | undefined;
    if (!row) throw new Error('no content');
    releaseBuffer(row.content);
  });
  const mb = (n: number) => format(n, 0);
  const inFlightMb = (CONNECTIONS * PDF.length) / (1024 * 1024);
  return {
    rows: [
      { backend: b.backend, scenario: 'POST /api/files (1 MB PDF)', connections: CONNECTIONS, route: upload, ceiling: uploadCeiling, ...(uploadCeilingNormal ? { ceilingNormal: uploadCeilingNormal } : {}), ceilingName: 'driver insert' },
      {
        backend: b.backend,
        scenario: 'GET /api/files/:id/content (1 MB)',
        connections: CONNECTIONS,
        route: download,
        ceiling: downloadCeiling,
        ceilingName: 'driver select',
        fastify: bare,
        // The bare route sends the same bytes (the route's headers aside), so on SQLite it is
        // also this row's replay: "of bound" is then the route against sending 1 MB plus the
        // driver reading it, one after the other on one core. Not on PostgreSQL: there the
        // driver ceiling reads bytea as hex, which the route avoids (binary COPY).
        ...(b.backend === 'sqlite' ? { replay: bare } : {}),
        // SQLite: against the bare 1 MB Fastify route (the "of Fastify" column).
        target: b.backend === 'sqlite' ? { ofFastifyAtLeast: 0.8 } : {},
      },
    ],
    notes: [
      `${b.backend}: server RSS ${mb(cold)} MB at start, ${mb(baseline)} MB after one warm-up upload (baseline), ` +
        `peak ${mb(peak)} MB (${how}) during ${CONNECTIONS} concurrent 1 MB uploads: growth ${mb(peak - baseline)} MB, ` +
        `${format((peak - baseline) / inFlightMb, 2)}× the ${format(inFlightMb, 0)} MB in flight (target ≤ 3×)`,
      `${b.backend}: 1 MB download, measured alternately with the bare Fastify route sending the same bytes (best of two each): ` +
        `route ${cpu.rounds.route.map((m) => mb(m.rps)).join(' / ')} req/s, bare ${cpu.rounds.bare.map((m) => mb(m.rps)).join(' / ')} req/s; ` +
        `server CPU per download ${format(cpu.routeMs, 2)} ms against ${format(cpu.bareMs, 2)} ms bare (${format(cpu.bareMs / cpu.routeMs, 2)} of Fastify by CPU)`,
    ],
  };
}
