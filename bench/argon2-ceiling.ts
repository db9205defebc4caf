// The machine's Argon2id verification ceiling with Mosaic's parameters: CONCURRENCY verifications
// in flight on libuv's pool (as many threads, up to its 4), for DURATION seconds, in a process pinned
// like the server. Prints {"rps":…} on stdout.
import { performance } from 'node:perf_hooks';
import { hash, verify } from '@node-rs/argon2';
import { ARGON2ID_OPTIONS } from '../src/auth/argon2.js';

const concurrency = Number(process.env.CONCURRENCY ?? 20);
const seconds = Number(process.env.DURATION ?? 4);
const stored = await hash('bench password 123', ARGON2ID_OPTIONS);
let done = 0;
const end = performance.now() + seconds * 1000;
const started = performance.now();
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (performance.now() < end) {
      if (!(await verify(stored, 'bench password 123'))) throw new Error('verification failed');
      done++;
    }
  }),
);
process.stdout.write(`${JSON.stringify({ rps: done / ((performance.now() - started) / 1000) })}\n`);
