// The machine's Argon2id verification ceiling with Mosaic's parameters: as many verifications
// in flight as the server would run (CONCURRENCY), for DURATION seconds, in a process pinned
// like the server. Prints {"rps":…} on stdout.
import { performance } from 'node:perf_hooks';
import { hashPassword, verifyPassword } from '../src/auth/passwords.js';

const concurrency = Number(process.env.CONCURRENCY ?? 20);
const seconds = Number(process.env.DURATION ?? 4);
const stored = await hashPassword('bench password 123');
let done = 0;
const end = performance.now() + seconds * 1000;
const started = performance.now();
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (performance.now() < end) {
      if (!(await verifyPassword(stored, 'bench password 123'))) throw new Error('verification failed');
      done++;
    }
  }),
);
process.stdout.write(`${JSON.stringify({ rps: done / ((performance.now() - started) / 1000) })}\n`);
