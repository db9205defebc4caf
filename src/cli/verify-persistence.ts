import { Option, type Command } from 'commander';

export function registerVerifyPersistence(program: Command): void {
  program
    .command('verify-persistence')
    .description('check that a live deployment keeps its data across a redeploy: run --phase before, redeploy, then --phase after')
    .requiredOption('--url <base>', 'the deployment, e.g. https://mosaic.example.org')
    .addOption(new Option('--phase <phase>', 'before the redeploy (write a canary) or after it (check it)').choices(['before', 'after']).makeOptionMandatory())
    .option('--state-file <path>', 'where the canary credentials and what was written are kept (mode 0600)', '.mosaic-canary.json')
    .action(async (options: { url: string; phase: 'before' | 'after'; stateFile: string }) => {
      const { formatCheckRows, passed, persistenceAfter, persistenceBefore } = await import('../persistence-check/run.js');
      const run = options.phase === 'before' ? persistenceBefore : persistenceAfter;
      const rows = await run({ url: options.url, stateFile: options.stateFile });
      console.log(formatCheckRows(rows));
      const ok = passed(rows);
      console.log(ok ? `${options.phase}: all checks passed` : `${options.phase}: FAILED`);
      if (options.phase === 'before' && ok) console.log(`canary saved to ${options.stateFile}; redeploy, then run --phase after`);
      if (!ok) process.exitCode = 1;
    });
}
