import { useCallback, useEffect, useState, type Dispatch, type SetStateAction } from 'react';

// The message a person has started to write survives switching screens and reloads: it is kept
// in this browser under their account's id (never another account's draft), and forgotten with
// everything else of theirs on log out (app/forget.ts).

export const chatDraftKey = (userId: number): string => `mosaic:chat-draft:${userId}`;

function read(key: string | null): string {
  if (key === null) return '';
  try {
    return window.localStorage.getItem(key) ?? '';
  } catch {
    return '';
  }
}

/** The draft for `userId` (none while nobody is signed in), saved as it changes. */
export function useDraft(userId: number | null): [string, Dispatch<SetStateAction<string>>] {
  const key = userId === null ? null : chatDraftKey(userId);
  const [state, setState] = useState(() => ({ key, draft: read(key) }));
  // Another account (or the first known one): its own draft, read again.
  if (state.key !== key) setState({ key, draft: read(key) });
  useEffect(() => {
    if (state.key === null) return;
    try {
      if (state.draft === '') window.localStorage.removeItem(state.key);
      else window.localStorage.setItem(state.key, state.draft);
    } catch {
      // Storage full or disabled: the draft lives as long as the screen.
    }
  }, [state]);
  const setDraft = useCallback<Dispatch<SetStateAction<string>>>(
    (next) => setState((current) => ({ key: current.key, draft: typeof next === 'function' ? next(current.draft) : next })),
    [],
  );
  return [state.key === key ? state.draft : read(key), setDraft];
}

export function discardChatDraft(userId: number): void {
  try {
    window.localStorage.removeItem(chatDraftKey(userId));
  } catch {
    // Storage disabled: nothing was kept.
  }
}
