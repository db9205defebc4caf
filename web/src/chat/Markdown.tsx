import type { ReactNode } from 'react';

/**
 * A small Markdown renderer for chat replies that builds React elements, so nothing in a reply
 * is ever parsed as HTML: `<script>` or `<img onerror>` stay text. It knows what chat replies
 * use (paragraphs, line breaks, lists, fenced code, **bold**, *italic*, `code`, links) and no
 * more. Links open in a new tab, only for http, https and mailto. Every pattern is a bounded
 * character class without nesting, so the work is linear in the text's length.
 */

// Underscores mark emphasis only at word edges: `window._x_` or snake_case stay as written.
const INLINE =
  /(`[^`\n]+`)|(\*\*[^*\n]+\*\*)|(\[[^\]\n]{1,500}\]\([^()\s]{1,2000}\))|(\*[^*\s][^*\n]*\*|(?<![\p{L}\p{N}_])_[^_\s][^_\n]*_(?![\p{L}\p{N}_]))|(https?:\/\/[^\s<>()]{1,2000})/gu;

/** The URL when it is one a reply may link to, else null. */
export function safeHref(raw: string): string | null {
  try {
    const url = new URL(raw);
    return ['http:', 'https:', 'mailto:'].includes(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}

function link(href: string, text: ReactNode, key: number): ReactNode {
  const safe = safeHref(href);
  if (!safe) return <span key={key}>{text}</span>;
  return (
    <a key={key} href={safe} target="_blank" rel="noopener noreferrer">
      {text}
    </a>
  );
}

function inline(text: string): ReactNode[] {
  const out: ReactNode[] = [];
  let last = 0;
  let key = 0;
  for (const match of text.matchAll(INLINE)) {
    const index = match.index;
    if (index > last) out.push(text.slice(last, index));
    const [token, code, bold, anchor, emphasis, bare] = match;
    if (code) out.push(<code key={key++}>{code.slice(1, -1)}</code>);
    else if (bold) out.push(<strong key={key++}>{inline(bold.slice(2, -2))}</strong>);
    else if (anchor) {
      const split = anchor.indexOf('](');
      out.push(link(anchor.slice(split + 2, -1), anchor.slice(1, split), key++));
    } else if (emphasis) out.push(<em key={key++}>{emphasis.slice(1, -1)}</em>);
    else if (bare) {
      // A sentence's full stop or comma after a URL is not part of it.
      const url = bare.replace(/[.,;:!?]+$/, '');
      out.push(link(url, url, key++));
      if (url.length < bare.length) out.push(bare.slice(url.length));
    }
    last = index + token.length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

function withBreaks(lines: string[]): ReactNode[] {
  return lines.flatMap((line, i) => (i === 0 ? inline(line) : [<br key={`br${i}`} />, ...inline(line)]));
}

const BULLET = /^\s*[-*•]\s+/;
const NUMBERED = /^\s*\d{1,3}[.)]\s+/;

export function Markdown({ text }: { text: string }) {
  const blocks: ReactNode[] = [];
  const lines = text.split('\n');
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.trim() === '') {
      i++;
      continue;
    }
    const key = blocks.length;
    if (line.trimStart().startsWith('```')) {
      const code: string[] = [];
      for (i++; i < lines.length && !lines[i]!.trimStart().startsWith('```'); i++) code.push(lines[i]!);
      i++;
      blocks.push(
        <pre key={key}>
          <code>{code.join('\n')}</code>
        </pre>,
      );
    } else if (BULLET.test(line) || NUMBERED.test(line)) {
      const pattern = BULLET.test(line) ? BULLET : NUMBERED;
      const items: string[] = [];
      for (; i < lines.length && pattern.test(lines[i]!); i++) items.push(lines[i]!.replace(pattern, ''));
      const children = items.map((item, n) => <li key={n}>{inline(item)}</li>);
      blocks.push(pattern === BULLET ? <ul key={key}>{children}</ul> : <ol key={key}>{children}</ol>);
    } else {
      const paragraph: string[] = [];
      for (; i < lines.length && lines[i]!.trim() !== '' && !BULLET.test(lines[i]!) && !NUMBERED.test(lines[i]!) && !lines[i]!.trimStart().startsWith('```'); i++) {
        // A heading reads as a bold line: the screen's own headings keep their order.
        paragraph.push(lines[i]!.replace(/^#{1,6}\s+(.*)$/, '**$1**'));
      }
      blocks.push(<p key={key}>{withBreaks(paragraph)}</p>);
    }
  }
  return <div className="markdown">{blocks}</div>;
}
