import { openDatabase, type Backend } from '../../db/connection.js';
import { createTestDatabase, type TestDatabase } from '../databases.js';
import { RATE_LIMITS_RAISED } from '../rate-limits.js';
import { HttpClient, startServerProcess, type ServerProcess } from '../server-process.js';
import { checkDatabase, checkPeopleThroughApi } from './checks.js';
import { Ledger } from './ledger.js';
import type { Person } from './people.js';
import { SeededRandom } from './random.js';
import { ServerGone, Workload } from './workload.js';

export interface SoakOptions {
  backend: Backend;
  /** SIGKILLs, each followed by a restart. */
  cycles: number;
  seed: number;
  /** People writing at once. */
  clients?: number;
  /** The kill comes this long after the server answers /health (or after `warmUp`): a random time in [min, max] ms. */
  killAfterMs?: [number, number];
  /**
   * Holds the kill's timer back until the writes so far satisfy this (checked every 50 ms, for
   * at most 2 minutes), so a test on a slow machine still gets the writes it asserts on.
   */
  warmUp?: (ledger: Ledger, cycle: number) => boolean;
  /** No new cycle starts after this many seconds (the checks still run). */
  maxSeconds?: number;
  /** Where progress lines go. */
  log?: (line: string) => void;
  /** Runs after the last kill, before the checks (a test damages the data here to see them fail). */
  beforeChecks?: (database: TestDatabase, people: readonly Person[]) => Promise<void>;
}

export interface SoakReport {
  backend: Backend;
  seed: number;
  cycles: number;
  people: number;
  ledger: Ledger;
  seconds: number;
}

/**
 * Rate limits are raised for the soak's own server (many writes from few people); each person
 * also sends from an address of its own through `x-forwarded-for`, believed with TRUST_PROXY.
 */
export const SOAK_SERVER_ENV: Record<string, string | undefined> = {
  ...RATE_LIMITS_RAISED,
  TRUST_PROXY: 'true',
  COACH_API_URL: undefined,
  COACH_API_KEY: undefined,
  PURGE_INTERVAL_SECONDS: '0',
  // Its deliberate wrong passwords and parallel PDFs must not lock its people out.
  LOGIN_MAX_FAILURES: '10000',
  LOGIN_MAX_FAILURES_PER_EMAIL: '100000',
  EXTRACTION_MAX_PER_USER: '1000',
};

/**
 * The crash-cycle soak: a mixed workload of every kind of write against a real `mosaic serve`,
 * SIGKILLed at a random moment `cycles` times and restarted on the same database, then checked
 * through the API (every acknowledged write there and intact, file bytes by SHA-256; nothing
 * refused stored; what got no answer whole or absent) and in the database itself.
 */
export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const started = performance.now();
  const log = options.log ?? (() => {});
  const random = new SeededRandom(options.seed);
  const ledger = new Ledger();
  const clients = options.clients ?? 4;
  const [killMin, killMax] = options.killAfterMs ?? [500, 4000];
  const deadline = Date.now() + (options.maxSeconds ?? Infinity) * 1000;
  const database = await createTestDatabase(options.backend);
  const people: Person[] = [];
  let server: ServerProcess | undefined;
  let cycles = 0;
  try {
    server = await startServerProcess(database, SOAK_SERVER_ENV);
    const flow = (await new HttpClient(server.url).request('GET', '/api/ps101/flow')).body as { steps: { prompts: { key: string }[] }[] };
    const workload = new Workload(ledger, random, options.seed, flow.steps.flatMap((s) => s.prompts.map((p) => p.key)));
    log(`soak ${options.backend}: seed ${options.seed}, ${options.cycles} cycles, ${clients} clients`);

    for (let cycle = 1; cycle <= options.cycles && Date.now() < deadline; cycle++) {
      const running: ServerProcess = cycle > 1 || !server ? await startServerProcess(database, SOAK_SERVER_ENV) : server;
      server = running;
      const url = running.url;
      for (const person of people) person.moveTo(url);
      const before = ledger.totals();
      const killAfter = random.int(killMin, killMax);
      let killed = false;
      let kill: NodeJS.Timeout | undefined;
      const armed = waitFor(() => killed || !options.warmUp || options.warmUp(ledger, cycle), WARM_UP_LIMIT_MS).then(() => {
        kill = setTimeout(() => {
          killed = true;
          running.child.kill('SIGKILL');
        }, killAfter);
      });
      await Promise.all(Array.from({ length: clients }, (_, worker) => runWorker(worker, url, people, workload, random, () => killed)));
      // The clients stop only at the kill; stopping before it means the server died on its own.
      ledger.check(killed, () => `cycle ${cycle}: the server stopped answering before it was killed:\n${running.output().slice(-2000)}`);
      killed = true;
      await armed;
      clearTimeout(kill);
      const exit = await running.stop('SIGKILL');
      server = undefined;
      cycles = cycle;
      const after = ledger.totals();
      log(
        `soak ${options.backend}: cycle ${cycle}/${options.cycles}: killed (${exit}) ${killAfter} ms after ${options.warmUp ? 'warm-up' : 'start'}; ` +
          `${after.acknowledged - before.acknowledged} acknowledged, ${after.failed - before.failed} failed, ` +
          `${after.unknown - before.unknown} unknown; ${people.length} people`,
      );
    }

    await options.beforeChecks?.(database, people);
    server = await startServerProcess(database, SOAK_SERVER_ENV);
    for (const person of people) person.moveTo(server.url);
    await checkPeopleThroughApi(people, workload, ledger);
    await server.stop('SIGTERM');
    server = undefined;
    await checkStoredData(database, people, ledger);
    log(`soak ${options.backend}: ${ledger.checksPassed} checks passed, ${ledger.problems.length} problems`);
    return { backend: options.backend, seed: options.seed, cycles, people: people.length, ledger, seconds: (performance.now() - started) / 1000 };
  } finally {
    await server?.stop('SIGKILL');
    await database.drop();
  }
}

const WARM_UP_LIMIT_MS = 120_000;

/** Resolves once `condition` holds, or after `limitMs` whatever it says. */
async function waitFor(condition: () => boolean, limitMs: number): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
}

async function checkStoredData(database: TestDatabase, people: Person[], ledger: Ledger): Promise<void> {
  const opened = openDatabase(database.config);
  try {
    await checkDatabase(opened, people, ledger);
  } finally {
    await opened.close();
  }
}

/** One client: writes as its own people, one request at a time each, until the kill. */
async function runWorker(
  worker: number,
  url: string,
  people: Person[],
  workload: Workload,
  random: SeededRandom,
  killed: () => boolean,
): Promise<void> {
  while (!killed()) {
    const mine = people.filter((p) => p.owner === worker && p.active);
    try {
      if (mine.length < 2 || (mine.length < 6 && random.chance(0.05))) {
        const person = await workload.newPerson(url, random.chance(0.75));
        if (person) {
          person.owner = worker;
          people.push(person);
        }
        if (person?.state === 'maybe created') return;
      } else {
        await workload.step(random.pick(mine));
      }
    } catch (error) {
      if (error instanceof ServerGone) return;
      throw error;
    }
  }
}
