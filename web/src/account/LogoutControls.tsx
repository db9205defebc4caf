import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { api } from '../api/client';
import type { User } from '../api/types';
import { plural } from '../app/format';
import { deleteAccount } from './data';
import { ConfirmDialog } from '../app/ConfirmDialog';
import { forgetPerson, unsentEditCount } from '../app/forget';
import { messageOf } from '../app/format';
import { useLogOutHere, useSessionChanged } from '../app/session';

type Asking = null | 'guest' | { unsent: number; everywhere: boolean };

/**
 * Log out and log out everywhere. Log out works offline (the browser forgets the person at once;
 * the server is told when it can be reached). Nothing is thrown away without a choice: a guest
 * is told their work cannot be reached again and offered an account first; a person with
 * answers not yet sent chooses to keep them on this browser (sent after they log in again here)
 * or to discard them.
 */
export function LogoutControls({ user }: { user: User }) {
  const navigate = useNavigate();
  const client = useQueryClient();
  const logOutHere = useLogOutHere();
  const sessionChanged = useSessionChanged();
  const [asking, setAsking] = useState<Asking>(null);
  // Leave the gated screen first, or it would send the signed-out person to the log-in page.
  // flushSync: a transition would let the signed-out state render on this screen first.
  const leave = () => navigate('/', { flushSync: true });

  const logOut = async (keepUnsent: boolean) => {
    setAsking(null);
    await leave();
    logOutHere({ keepUnsent });
  };
  const logoutAll = useMutation({
    mutationFn: api.logoutAll,
    onSuccess: async (_result, keepUnsent: boolean) => {
      setAsking(null);
      await leave();
      forgetPerson(client, user.id, { keepUnsent });
      sessionChanged(null);
    },
  });
  // A guest's discarded work is deleted now rather than left for the purge; offline, the
  // session ends when the connection returns and the purge deletes the idle guest later.
  const discardGuest = useMutation({
    mutationFn: () => deleteAccount(undefined),
    onSettled: async () => logOut(false),
  });

  const ask = (everywhere: boolean) => {
    if (user.guest) return setAsking('guest');
    const unsent = unsentEditCount(user.id);
    if (unsent > 0) return setAsking({ unsent, everywhere });
    if (everywhere) logoutAll.mutate(false);
    else void logOut(false);
  };
  const answers = (n: number) => plural(n, 'answer', 'answers');

  return (
    <section className="card" aria-labelledby="sessions-title">
      <h2 id="sessions-title">Sessions</h2>
      <div className="actions">
        <button type="button" onClick={() => ask(false)} disabled={discardGuest.isPending}>
          Log out
        </button>
        {!user.guest && (
          <button type="button" onClick={() => ask(true)} disabled={logoutAll.isPending}>
            Log out everywhere
          </button>
        )}
      </div>
      {logoutAll.isError && <p role="alert" className="error">{messageOf(logoutAll.error)}</p>}
      <ConfirmDialog
        open={asking === 'guest'}
        title="Log out of a guest session?"
        confirmLabel="Log out and discard my work"
        danger
        onConfirm={() => discardGuest.mutate()}
        onCancel={() => setAsking(null)}
        extra={
          <button type="button" className="primary" onClick={() => void navigate('/register')}>
            Create an account first
          </button>
        }
      >
        <p>
          You are working as a guest. Once you log out, nobody can reach a guest’s work again — not even you: there is
          no email or password to log back in with.
        </p>
        <p>Create an account first to keep everything (workbook answers, chat, files, matches and résumés), or log out and discard it.</p>
      </ConfirmDialog>
      <ConfirmDialog
        open={asking !== null && asking !== 'guest'}
        title="Some answers are not sent yet"
        confirmLabel="Discard them and log out"
        danger
        onConfirm={() => (asking !== null && asking !== 'guest' && asking.everywhere ? logoutAll.mutate(false) : void logOut(false))}
        onCancel={() => setAsking(null)}
        extra={
          <button
            type="button"
            onClick={() => (asking !== null && asking !== 'guest' && asking.everywhere ? logoutAll.mutate(true) : void logOut(true))}
          >
            Keep them on this browser
          </button>
        }
      >
        <p>
          You have {asking !== null && asking !== 'guest' ? answers(asking.unsent) : 'answers'} not sent to the server yet.
          Kept, they stay on this browser and are sent the next time you log in here to this account (anyone using this
          browser could read them meanwhile). On a shared computer, discard them.
        </p>
      </ConfirmDialog>
    </section>
  );
}
