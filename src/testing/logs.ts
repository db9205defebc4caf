/** A pino destination that keeps every line, to check what real requests log. */
export class LogCapture {
  readonly #lines: string[] = [];

  write(line: string): void {
    this.#lines.push(line);
  }

  /** Everything logged so far, as raw text. */
  text(): string {
    return this.#lines.join('');
  }

  /** Every line, parsed. */
  entries(): Record<string, unknown>[] {
    return this.#lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  }
}
