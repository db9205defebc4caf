/** How far back completions count towards the rate and the typical time in the server. */
export const RECENT_MS = 2_000;
/** Completions kept: 2 s at 16,000 a second, far above what one process serves. */
const CAPACITY = 32_768;
/** The typical time is the median of at most this many of the latest completions. */
const MEDIAN_OF = 255;

/**
 * The requests that finished in the last two seconds: how many, and how long the typical one
 * spent in the server (arrival to answer). A fixed ring: recording is two stores, no allocation.
 */
export class RecentCompletions {
  readonly #finishedAt = new Float64Array(CAPACITY);
  readonly #durations = new Float64Array(CAPACITY);
  #written = 0;

  record(startedAt: number, finishedAt: number): void {
    const slot = this.#written % CAPACITY;
    this.#finishedAt[slot] = finishedAt;
    this.#durations[slot] = finishedAt - startedAt;
    this.#written++;
  }

  /** Completions since `now - RECENT_MS`, and the median time in the server of the latest of them. */
  summary(now: number): { count: number; medianMs: number } {
    const since = now - RECENT_MS;
    const latest: number[] = [];
    let count = 0;
    for (let index = this.#written - 1; index >= 0 && this.#written - index <= CAPACITY; index--) {
      const slot = index % CAPACITY;
      if (this.#finishedAt[slot]! < since) break;
      count++;
      if (latest.length < MEDIAN_OF) latest.push(this.#durations[slot]!);
    }
    latest.sort((a, b) => a - b);
    return { count, medianMs: latest.length === 0 ? 0 : latest[latest.length >> 1]! };
  }

  clear(): void {
    this.#written = 0;
  }
}
