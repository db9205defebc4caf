import { isUtf8 } from 'node:buffer';

/**
 * The one input rule for text. PostgreSQL cannot store NUL in text, and a lone UTF-16
 * surrogate becomes invalid UTF-8 in SQLite that no other database accepts; refusing both at
 * the edge keeps every accepted write storable, and copyable, on either backend.
 */
export function textProblem(value: string): string | null {
  if (value.includes('\0')) return 'contains a NUL character';
  if (!(value as string & { isWellFormed(): boolean }).isWellFormed()) return 'contains a lone surrogate (not valid Unicode)';
  return null;
}

/** Whether raw bytes are valid UTF-8 (Node's own check: no silent U+FFFD replacement). */
export const isValidUtf8 = (bytes: Uint8Array): boolean => bytes.length === 0 || isUtf8(bytes);

export interface TextViolation {
  /** Where the bad string sits, e.g. `body.answers["1.1"]`; keys are checked too. */
  path: string;
  problem: string;
}

/**
 * The first string (value or object key) in a parsed body, query or params object that breaks
 * the rule. Iterative, so a deeply nested JSON document cannot overflow the stack.
 */
export function findInvalidText(root: unknown, rootPath: string): TextViolation | null {
  const pending: [unknown, string][] = [[root, rootPath]];
  while (pending.length > 0) {
    const [value, path] = pending.pop()!;
    if (typeof value === 'string') {
      const problem = textProblem(value);
      if (problem) return { path, problem };
    } else if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) pending.push([value[i], `${path}[${i}]`]);
    } else if (value !== null && typeof value === 'object' && !Buffer.isBuffer(value)) {
      for (const [key, inner] of Object.entries(value)) {
        const problem = textProblem(key);
        if (problem) return { path: `${path} key ${excerpt(JSON.stringify(key), 40)}`, problem };
        pending.push([inner, /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${excerpt(JSON.stringify(key), 40)}]`]);
      }
    }
  }
  return null;
}

/** At most `max` characters of a client's input, for quoting it in a message. */
export function excerpt(value: string, max = 100): string {
  if (value.length <= max) return value;
  // Never cut a surrogate pair in half: the message itself must be valid text.
  let end = max;
  const code = value.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return `${value.slice(0, end)}…`;
}
