import { useEffect, useState } from 'react';

/** Copies a reply's text (its Markdown source) to the clipboard, saying so for a moment. */
export function CopyButton({ text }: { text: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const timer = window.setTimeout(() => setState('idle'), 2000);
    return () => window.clearTimeout(timer);
  }, [state]);
  const copy = () => {
    // The clipboard needs a secure context and the page's focus; either may be missing.
    if (!navigator.clipboard) {
      setState('failed');
      return;
    }
    navigator.clipboard.writeText(text).then(
      () => setState('copied'),
      () => setState('failed'),
    );
  };
  return (
    <>
      <button type="button" className="link" onClick={copy}>
        {state === 'copied' ? 'Copied' : 'Copy'}
      </button>
      <span role="status" className="visually-hidden">
        {state === 'copied' ? 'Reply copied to the clipboard' : state === 'failed' ? 'Could not copy: select the text and copy it instead' : ''}
      </span>
      {state === 'failed' && <span className="hint">Could not copy</span>}
    </>
  );
}
