import cliProgress from 'cli-progress';
import type { CopyProgress } from './copy.js';

export interface ProgressReporter {
  update(progress: CopyProgress): void;
  stop(): void;
}

function rate(rows: number, since: number): number {
  const seconds = (performance.now() - since) / 1000;
  return seconds > 0 ? Math.round(rows / seconds) : 0;
}

/**
 * Copy progress on stderr: a bar with rows/s and ETA on a terminal; otherwise (logs, CI) a
 * plain line every `intervalMs`, so a long copy is visibly alive without flooding the log.
 */
export function createProgressReporter(
  stream: NodeJS.WriteStream = process.stderr,
  intervalMs = 2000,
  /** What the bar and lines are labelled with: `copy`, `backup`, `restore`. */
  label = 'copy',
): ProgressReporter {
  const started = performance.now();
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        stream,
        format: `${label} [{bar}] {percentage}% | {value}/{total} rows | {rate} rows/s | ETA {eta_formatted} | {table}`,
        etaBuffer: 50,
        hideCursor: true,
      },
      cliProgress.Presets.shades_classic,
    );
    let begun = false;
    return {
      update(p) {
        if (!begun) {
          bar.start(Math.max(p.totalRows, 1), 0, { rate: 0, table: p.table });
          begun = true;
        }
        bar.setTotal(Math.max(p.totalRows, p.rows, 1));
        bar.update(p.rows, { rate: rate(p.rows, started), table: p.table });
      },
      stop: () => bar.stop(),
    };
  }
  let lastLine = 0;
  let latest: CopyProgress | undefined;
  const print = (p: CopyProgress) => {
    const perSecond = rate(p.rows, started);
    const left = p.totalRows - p.rows;
    const eta = perSecond > 0 && left > 0 ? `, ETA ${Math.ceil(left / perSecond)}s` : '';
    const percent = p.totalRows > 0 ? Math.floor((100 * p.rows) / p.totalRows) : 100;
    stream.write(`${label}: ${p.rows}/${p.totalRows} rows (${percent}%), ${perSecond} rows/s${eta}; table ${p.table}\n`);
    lastLine = performance.now();
  };
  return {
    update(p) {
      latest = p;
      if (performance.now() - lastLine >= intervalMs) print(p);
    },
    stop() {
      if (latest) print(latest);
    },
  };
}
