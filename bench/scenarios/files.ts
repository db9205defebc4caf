import { createHash } from 'node:crypto';
import { nowIso } from '../../src/db/values.js';
import { multipartBody } from '../../src/testing/fixtures.js';
import { buildPdf } from '../pdf.js';
import { CONNECTIONS, format, loadDriver, loadRoute, type BenchBackend, type Row } from '../lib.js';
import { processMemoryMb } from '../proc.js';

const PDF = buildPdf(1024 * 1024);
const SHA = createHash('sha256').update(PDF).digest('hex');

/** Samples the server's resident memory while `work` runs; returns the peak. */
async function peakRss<T>(pid: number, work: () => Promise<T>): Promise<{ result: T; peak: number }> {
  let peak = processMemoryMb(pid, 'VmRSS');
  const timer = setInterval(() => (peak = Math.max(peak, processMemoryMb(pid, 'VmRSS'))), 50);
  try {
    return { result: await work(), peak };
  } finally {
    clearInterval(timer);
  }
}

async function driverInsertFile(b: BenchBackend, userId: number): Promise<void> {
  const now = nowIso();
  const driver = b.driver;
  if (driver.backend === 'postgres') {
    const client = await driver.pool.connect();
    try {
      await client.query('begin');
      const { rows } = await client.query(
        'insert into files (user_id, name, content_type, size, sha256, text_content, created_at) values ($1, $2, $3, $4, $5, $6, $7) returning id',
        [userId, 'resume.pdf', 'application/pdf', PDF.length, SHA, null, now],
      );
      await client.query('insert into file_contents (file_id, content) values ($1, $2)', [rows[0].id, PDF]);
      await client.query('commit');
    } finally {
      client.release();
    }
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

/** Upload and download of a 1 MB PDF, with the server's peak RSS during CONNECTIONS concurrent uploads. */
export async function benchFiles(b: BenchBackend): Promise<FileBenchResult> {
  const client = await b.newUser();
  const userId = (await client.request('GET', '/api/auth/me')).body.user.id as number;
  const { payload: body, headers } = multipartBody(PDF, 'resume.pdf', { declaredType: 'application/pdf' });
  const pid = b.server.child.pid!;
  const baseline = processMemoryMb(pid, 'VmRSS');
  const { result: upload, peak } = await peakRss(pid, () =>
    loadRoute(b.server.url, { path: '/api/files', method: 'POST', headers: { cookie: client.cookie, ...headers }, body }),
  );
  const uploadCeiling = await loadDriver(() => driverInsertFile(b, userId));

  const listed = await client.request('GET', '/api/files');
  const fileId = listed.body.files[0].id as number;
  const download = await loadRoute(b.server.url, { path: `/api/files/${fileId}/content`, headers: { cookie: client.cookie } });
  const driver = b.driver;
  const select = driver.backend === 'sqlite' ? driver.sqlite.prepare('select content from file_contents where file_id = ?') : null;
  const downloadCeiling = await loadDriver(async () => {
    const row =
      driver.backend === 'postgres'
        ? (await driver.pool.query('select content from file_contents where file_id = $1', [fileId])).rows[0]
        : select!.get(fileId);
    if (!row) throw new Error('no content');
  });
  const mb = (n: number) => format(n, 0);
  const inFlightMb = (CONNECTIONS * PDF.length) / (1024 * 1024);
  return {
    rows: [
      { backend: b.backend, scenario: 'POST /api/files (1 MB PDF)', connections: CONNECTIONS, route: upload, ceiling: uploadCeiling, ceilingName: 'driver insert' },
      {
        backend: b.backend,
        scenario: 'GET /api/files/:id/content (1 MB)',
        connections: CONNECTIONS,
        route: download,
        ceiling: downloadCeiling,
        ceilingName: 'driver select',
        // SQLite: against the bare 1 MB Fastify route (the "of Fastify" column).
        target: b.backend === 'sqlite' ? { ofFastifyAtLeast: 0.8 } : {},
      },
    ],
    notes: [
      `${b.backend}: server RSS ${mb(baseline)} MB before, peak ${mb(peak)} MB during ${CONNECTIONS} concurrent 1 MB uploads: ` +
        `growth ${format((peak - baseline) / inFlightMb, 2)}× the ${format(inFlightMb, 0)} MB in flight (target ≤ 3×)`,
    ],
  };
}
