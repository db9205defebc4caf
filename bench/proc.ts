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

/**
 * Resets the process's `VmHWM` to its current RSS (Linux ≥ 4.0, `/proc/<pid>/clear_refs`), so
 * a later `VmHWM` is the true peak of what ran in between, not a sample. False when refused.
 */
export function resetPeakMemory(pid: number): boolean {
  try {
    fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** CPU time (user + system, all threads) a process has used so far, in ms; 0 once it exited. */
export function processCpuMs(pid: number): number {
  try {
    // Fields after the command name (which may hold spaces, hence from the last ')'): utime and
    // stime are the 12th and 13th, in clock ticks (USER_HZ, 100 on Linux).
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return 0;
  }
}
