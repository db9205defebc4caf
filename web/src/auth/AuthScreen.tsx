import { useMutation } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { ApiError, api, type GuestWork, type GuestWorkChoice } from '../api/client';
import { forgetPerson } from '../app/forget';
import { GuestWorkDialog } from './GuestWorkDialog';
import { PASSWORD_RULES } from '../api/routes';
import { ScreenHeading } from '../app/ScreenHeading';
import { usePageTitle } from '../app/usePageTitle';
import { useMe, useSessionChanged } from '../app/session';
import { authErrorText } from './errors';

/** Where to go after logging in: a path of this app only (never another site). */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/workbook';
}

export function AuthScreen({ mode }: { mode: 'login' | 'register' }) {
  const me = useMe();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const sessionChanged = useSessionChanged();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const rulesId = useId();
  const errorId = useId();
  const guest = me.data?.guest === true;
  const client = useQueryClient();
  usePageTitle(mode === 'login' ? 'Log in' : 'Create an account');
  // Set when the server asks a guest what becomes of the guest's work (409).
  const [guestWork, setGuestWork] = useState<GuestWork | null>(null);

  const submit = useMutation({
    mutationFn: (choice: GuestWorkChoice | undefined) =>
      mode === 'login' ? api.login({ email, password, ...(choice ? { guestWork: choice } : {}) }) : api.register({ email, password }),
    onSuccess: ({ user }) => {
      setGuestWork(null);
      // A guest who logged in to an account has ended (merged or discarded): nothing of the
      // guest stays on this browser, unsent edits included.
      if (me.data && me.data.id !== user.id) forgetPerson(client, me.data.id, { keepUnsent: false });
      sessionChanged(user);
      void navigate(next);
    },
    onError: (error) => {
      if (error instanceof ApiError && error.code === 'guest_work_choice_required') {
        setGuestWork(error.details.guestWork as GuestWork);
      } else {
        setGuestWork(null);
      }
    },
  });

  const [tooShort, setTooShort] = useState(false);
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    // The rule is shown before submitting; checking it here saves a round trip.
    const short = mode === 'register' && password.length < PASSWORD_RULES.minLength;
    setTooShort(short);
    if (!short) submit.mutate(undefined);
  };

  const title = mode === 'login' ? 'Log in' : 'Create account';
  return (
    <section className="narrow">
      <ScreenHeading>{title}</ScreenHeading>
      {mode === 'login' && guest && (
        <p className="note">
          You are working as a guest. If you log in to an account, you choose whether to add your guest work to it or
          to discard it.
        </p>
      )}
      {mode === 'register' && guest && (
        <p className="note">
          You are working as a guest. When you create your account, everything you have done so far — workbook answers,
          chat, files, matches and résumés — stays with you.
        </p>
      )}
      <form onSubmit={onSubmit} noValidate aria-describedby={submit.isError ? errorId : undefined}>
        <label htmlFor="email">Email</label>
        <input
          id="email"
          type="email"
          autoComplete="email"
          required
          maxLength={320}
          value={email}
          onChange={(event) => setEmail(event.target.value)}
        />
        <label htmlFor="password">Password</label>
        <input
          id="password"
          type="password"
          autoComplete={mode === 'login' ? 'current-password' : 'new-password'}
          required
          minLength={mode === 'register' ? PASSWORD_RULES.minLength : 1}
          maxLength={PASSWORD_RULES.maxLength}
          aria-describedby={mode === 'register' ? rulesId : undefined}
          value={password}
          onChange={(event) => setPassword(event.target.value)}
        />
        {mode === 'register' && (
          <p id={rulesId} className="hint">
            At least {PASSWORD_RULES.minLength} characters (up to {PASSWORD_RULES.maxLength}). A few unrelated words make
            a strong password.
          </p>
        )}
        {tooShort && (
          <p role="alert" className="error">
            The password needs at least {PASSWORD_RULES.minLength} characters.
          </p>
        )}
        {submit.isError && !tooShort && !guestWork && !(submit.error instanceof ApiError && submit.error.code === 'guest_work_choice_required') && (
          <p id={errorId} role="alert" className="error">
            {authErrorText(submit.error, mode)}
          </p>
        )}
        <button type="submit" className="primary" disabled={submit.isPending}>
          {title}
        </button>
        {mode === 'login' && (
          <p>
            <Link to="/forgot-password">Forgot password?</Link>
          </p>
        )}
      </form>
      <GuestWorkDialog
        work={guestWork}
        busy={submit.isPending}
        onChoose={(choice) => submit.mutate(choice)}
        onCancel={() => setGuestWork(null)}
      />
      <p>
        {mode === 'login' ? (
          <>
            No account yet? <Link to={`/register?next=${encodeURIComponent(next)}`}>Create account</Link>
          </>
        ) : (
          <>
            Already have an account? <Link to={`/login?next=${encodeURIComponent(next)}`}>Log in</Link>
          </>
        )}
      </p>
    </section>
  );
}
