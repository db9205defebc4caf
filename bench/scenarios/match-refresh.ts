import { performance } from 'node:perf_hooks';
import { type BenchBackend } from '../backends.js';
import { format } from '../report.js';

const RUNS = Number(process.env.BENCH_REFRESH_RUNS ?? 30);

/** Time of POST /api/jobs/matches/refresh for a person whose every workbook prompt is answered. */
export async function benchMatchRefresh(b: BenchBackend): Promise<string> {
  const client = await b.newUser();
  const flow = (await client.request('GET', '/api/ps101/flow')).body;
  const answers: Record<string, string> = {};
  for (const step of flow.steps as { prompts: { key: string }[] }[]) {
    for (const prompt of step.prompts) {
      answers[prompt.key] =
        'I enjoy teaching, analysing data with spreadsheets and SQL, writing clear reports, and helping patients; ' +
        'I value autonomy, stability and making a difference in my community.';
    }
  }
  const saved = await client.request('PUT', '/api/ps101', { answers, revision: 0 });
  if (saved.status !== 200) throw new Error(`workbook fill failed: ${saved.status} ${JSON.stringify(saved.body)}`);
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    const response = await client.request('POST', '/api/jobs/matches/refresh');
    times.push(performance.now() - start);
    if (response.status !== 200) throw new Error(`refresh failed: ${response.status}`);
  }
  times.sort((x, y) => x - y);
  const mean = times.reduce((s, t) => s + t, 0) / times.length;
  return `${b.backend}: match refresh with a full workbook (${Object.keys(answers).length} answers): mean ${format(mean, 1)} ms, p50 ${format(times[Math.floor(RUNS / 2)]!, 1)} ms, max ${format(times.at(-1)!, 1)} ms over ${RUNS} runs`;
}
