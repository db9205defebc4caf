import { execFileSync } from 'node:child_process';

/**
 * The machine has two cores and the load generator must not steal the server's: the server
 * (and the bare Fastify server) run pinned to SERVER_CPU, this process (autocannon and the
 * driver ceilings) to the other. Route and ceiling thus both get one core for their
 * JavaScript; PostgreSQL floats over both, as in production.
 */
export const SERVER_CPU = 0;
export const LOAD_CPU = 1;
const canPin = (() => {
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** Pins a process (all its threads) to one CPU when taskset exists; says whether it did. */
export function pinProcess(pid: number, cpu: number): boolean {
  if (!canPin) return false;
  execFileSync('taskset', ['-a', '-cp', String(cpu), String(pid)], { stdio: 'ignore' });
  return true;
}
