// `npm run soak`: the crash-cycle soak. A real `mosaic serve` per backend takes a mixed
// workload of every kind of write and is SIGKILLed at random moments (20 cycles by default),
// then every acknowledged write is checked. PostgreSQL comes from TEST_DATABASE_URL (an admin
// URL; a database is created and dropped) or a throwaway embedded one. Exit 1 on any problem.
import { Command, InvalidArgumentError } from 'commander';
import { bootThrowawayPostgres } from '../src/testing/embedded-postgres.js';
import { runSoak, type SoakReport } from '../src/testing/soak/run.js';

function whole(minimum: number) {
  return (raw: string) => {
    const value = Number(raw);
    if (!Number.isInteger(value) || value < minimum) throw new InvalidArgumentError(`expected a whole number of at least ${minimum}`);
    return value;
  };
}

const options = new Command('npm run soak --')
  .description('SIGKILL a real mosaic server under a mixed write load, restart it, and check that no acknowledged write was lost')
  .option('--cycles <n>', 'kills per backend', whole(1), 20)
  .option('--backends <list>', 'sqlite, postgres or both', 'sqlite,postgres')
  .option('--seed <n>', 'seed of the workload and kill times (default: random, printed)', whole(0))
  .option('--clients <n>', 'people writing at once', whole(1), 4)
  .option('--max-minutes <n>', 'no new cycle starts after this long, per backend', whole(1), 15)
  .parse()
  .opts<{ cycles: number; backends: string; seed?: number; clients: number; maxMinutes: number }>();

const backends = options.backends.split(',').map((b) => b.trim());
for (const backend of backends) {
  if (backend !== 'sqlite' && backend !== 'postgres') {
    console.error(`soak: unknown backend ${backend} (sqlite, postgres)`);
    process.exit(2);
  }
}
const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
console.log(`soak: seed ${seed} (rerun the same choices with --seed ${seed})`);

let embedded: Awaited<ReturnType<typeof bootThrowawayPostgres>> | undefined;
if (backends.includes('postgres') && !process.env.TEST_DATABASE_URL) {
  embedded = await bootThrowawayPostgres();
  process.env.TEST_DATABASE_URL = embedded.url;
}

const reports: SoakReport[] = [];
try {
  for (const backend of backends as ('sqlite' | 'postgres')[]) {
    reports.push(
      await runSoak({
        backend,
        cycles: options.cycles,
        seed,
        clients: options.clients,
        maxSeconds: options.maxMinutes * 60,
        log: (line) => console.log(line),
      }),
    );
  }
} finally {
  await embedded?.destroy();
}

let problems = 0;
for (const report of reports) {
  console.log(`\n${report.backend}: ${report.cycles} SIGKILL cycles, ${report.people} people, ${report.seconds.toFixed(0)} s, seed ${report.seed}`);
  console.log(report.ledger.format());
  console.log(`checks passed: ${report.ledger.checksPassed}; problems: ${report.ledger.problems.length}`);
  for (const problem of report.ledger.problems) console.log(`  PROBLEM ${problem}`);
  problems += report.ledger.problems.length;
  if (report.cycles < options.cycles) {
    console.log(`  only ${report.cycles} of ${options.cycles} cycles ran within --max-minutes ${options.maxMinutes}`);
    problems++;
  }
}
process.exit(problems === 0 ? 0 : 1);
