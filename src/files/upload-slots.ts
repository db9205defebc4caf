/**
 * At most `slots` holders at once; the rest wait in arrival order. Uploads pass through one
 * before their CPU and database work, so a burst of large uploads queues here, in memory the
 * requests already hold, instead of in the database pool (or SQLite's one connection), where
 * `/health` and every other request would wait behind them.
 */
export class UploadSlots {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(slots: number) {
    this.free = slots;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    }
  }
}
