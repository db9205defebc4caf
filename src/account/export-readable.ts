import type { TextSink } from './export-json.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text as HTML text or attribute value: nothing the person wrote is ever markup. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** Local date and time in words, the same on every server (UTC, stated). */
export function readableTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toLocaleString('en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' })} UTC`;
}

// Inline styles only: the page is opened from disk, offline, and its policy forbids loading anything.
const STYLE = `body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#1d1d1f}
h1,h2,h3{line-height:1.25}h2{margin-top:2.5rem;border-bottom:1px solid #ccc}
.q{font-weight:600;margin:1rem 0 .25rem}.a,.msg{white-space:pre-wrap;margin:0 0 .75rem}
.none{color:#666;font-style:italic}.meta{color:#555;font-size:.9rem}
.msg{border-left:3px solid #999;padding-left:.75rem}.coach{border-color:#2b6cb0}
pre{white-space:pre-wrap;background:#f6f6f6;padding:.75rem;border-radius:4px}
@media print{h2{break-before:page}}`;

/**
 * The export's document for people: an HTML page that opens in any browser, offline, and
 * prints. Written in small pieces as the sections read their rows; every piece of the person's
 * text goes through `text()` or `escapeHtml`.
 */
export class ReadableDocument {
  private pending = '';
  constructor(private readonly sink: TextSink) {}

  async begin(title: string): Promise<void> {
    await this.html(
      `<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n` +
        `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src 'none'">\n` +
        `<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>${escapeHtml(title)}</title>\n` +
        `<style>${STYLE}</style>\n</head>\n<body>\n<h1>${escapeHtml(title)}</h1>\n`,
    );
  }

  async end(): Promise<void> {
    await this.html('</body>\n</html>\n');
    await this.flush();
  }

  /** Markup written as is: only ever literal tags from the export's own code. */
  async html(markup: string): Promise<void> {
    this.pending += markup;
    if (this.pending.length >= 64 * 1024) await this.flush();
  }

  /** An element holding the person's text, escaped. */
  element(tag: string, text: string, className?: string): Promise<void> {
    return this.html(`<${tag}${className ? ` class="${className}"` : ''}>${escapeHtml(text)}</${tag}>\n`);
  }

  private async flush(): Promise<void> {
    const text = this.pending;
    this.pending = '';
    if (text) await this.sink.write(text);
  }
}
