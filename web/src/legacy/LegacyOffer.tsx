import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { ApiError } from '../api/client';
import type { LegacyWork } from '../api/types';
import { messageOf } from '../app/format';
import { legacyApi } from './data';

/**
 * The earlier version kept its session id here, on this same origin. It is a bearer secret: it
 * is only ever sent to the server, never shown, and removed once its work is claimed or gone.
 */
export const LEGACY_KEY = 'delta_session_id';
const SESSION_ID = /^[0-9a-fA-F]{32}$/;

function storedLegacyId(): string | null {
  try {
    return window.localStorage.getItem(LEGACY_KEY);
  } catch {
    return null;
  }
}

function forgetLegacyId(): void {
  try {
    window.localStorage.removeItem(LEGACY_KEY);
  } catch {
    // Storage refused (private mode): nothing to remove.
  }
}

const LABELS: [keyof LegacyWork, string, string][] = [
  ['workbookResponses', 'workbook answer', 'workbook answers'],
  ['chatExchanges', 'conversation with the coach', 'conversations with the coach'],
  ['jobMatches', 'job match', 'job matches'],
  ['resumes', 'résumé version', 'résumé versions'],
  ['files', 'file', 'files'],
];

function describeWork(work: LegacyWork): string[] {
  return LABELS.filter(([key]) => work[key] > 0).map(([key, one, many]) => `${work[key]} ${work[key] === 1 ? one : many}`);
}

type State =
  | { step: 'checking' | 'none' | 'dismissed' }
  | { step: 'offer'; found: LegacyWork; claiming: boolean; error: string | null }
  | { step: 'done'; claimed: LegacyWork }
  | { step: 'gone' };

/**
 * Offers the work the earlier version's session (still in this browser) holds: what was found,
 * and a button to add it to the account. Shown to guests too: their work is kept like anyone's.
 */
export function LegacyOffer() {
  const client = useQueryClient();
  const [state, setState] = useState<State>({ step: 'checking' });
  const outcome = useRef<HTMLParagraphElement>(null);

  useEffect(() => {
    const id = storedLegacyId();
    if (id === null) return setState({ step: 'none' });
    if (!SESSION_ID.test(id)) {
      // Not a session id the earlier version could have written: nothing can ever be found by it.
      forgetLegacyId();
      return setState({ step: 'none' });
    }
    let current = true;
    legacyApi.preview(id).then(
      ({ found }) => current && setState({ step: 'offer', found, claiming: false, error: null }),
      (error: unknown) => {
        if (!current) return;
        // Found to be gone (claimed elsewhere, removed, never imported): the key has done its work.
        if (error instanceof ApiError && error.status === 404) forgetLegacyId();
        // Anything else (offline, busy) leaves the key for the next visit, and shows nothing now.
        setState({ step: 'none' });
      },
    );
    return () => {
      current = false;
    };
  }, []);

  useEffect(() => {
    if (state.step === 'done' || state.step === 'gone') outcome.current?.focus();
  }, [state.step]);

  const claim = async () => {
    const id = storedLegacyId();
    if (state.step !== 'offer' || id === null) return;
    setState({ ...state, claiming: true, error: null });
    try {
      const { claimed } = await legacyApi.claim(id);
      forgetLegacyId();
      setState({ step: 'done', claimed });
      // Everything the screens show may have grown: chat, workbook runs, files, matches, résumés.
      await client.invalidateQueries({ predicate: (query) => query.queryKey[0] !== 'me' });
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) {
        forgetLegacyId();
        setState({ step: 'gone' });
      } else setState({ ...state, claiming: false, error: messageOf(error) });
    }
  };

  if (state.step === 'offer') {
    return (
      <section className="legacy-offer" aria-labelledby="legacy-offer-title">
        <h2 id="legacy-offer-title">Your work from the earlier version</h2>
        <p>This browser still holds work you did in the earlier version of Mosaic:</p>
        <ul>
          {describeWork(state.found).map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
        <p>Add it to this account to keep it with the rest of your work. It can be added only once.</p>
        {state.error && <p role="alert">{state.error}</p>}
        <div className="actions">
          <button type="button" onClick={() => void claim()} disabled={state.claiming}>
            {state.claiming ? 'Adding…' : 'Add it to my account'}
          </button>{' '}
          <button type="button" onClick={() => setState({ step: 'dismissed' })} disabled={state.claiming}>
            Not now
          </button>
        </div>
      </section>
    );
  }
  if (state.step === 'done') {
    return (
      <section className="legacy-offer" aria-labelledby="legacy-offer-title">
        <h2 id="legacy-offer-title">Your work from the earlier version</h2>
        <p role="status" tabIndex={-1} ref={outcome}>
          Added to your account: {describeWork(state.claimed).join(', ') || 'nothing was left to add'}.
          {state.claimed.workbookResponses > 0 && ' Your earlier workbook answers are under the workbook’s past runs.'}
        </p>
      </section>
    );
  }
  if (state.step === 'gone') {
    return (
      <p className="legacy-offer" role="status" tabIndex={-1} ref={outcome}>
        That earlier work has already been added to an account, or is no longer kept.
      </p>
    );
  }
  return null;
}
