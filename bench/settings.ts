// What every bench run shares: its concurrencies and duration, and the shape of one measurement.

/** Each measurement runs at each of these concurrencies (BENCH_CONNECTIONS, default 20,50). */
export const CONNECTION_LEVELS = (process.env.BENCH_CONNECTIONS ?? '20,50').split(',').map(Number);
/** The concurrency of set-up work and single-level measurements (the first level). */
export const CONNECTIONS = CONNECTION_LEVELS[0]!;
export const DURATION_SECONDS = Number(process.env.BENCH_DURATION ?? 4);

export interface Measurement {
  rps: number;
  p99Ms: number;
  errors: number;
}
