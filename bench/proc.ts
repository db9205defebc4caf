import fs from 'node:fs';

// Kept apart from lib.ts so the measured child processes of bench:copy load nothing else.

/**
 * A process's memory from /proc in MiB: `VmRSS` now, or `VmHWM`, its peak so far. 0 once the
 * process has exited.
 */
export function processMemoryMb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}
