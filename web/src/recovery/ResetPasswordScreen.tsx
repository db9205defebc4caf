import { useMutation } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { api } from '../api/client';
import { PASSWORD_RULES } from '../api/routes';
import { ScreenHeading } from '../app/ScreenHeading';
import { usePageTitle } from '../app/usePageTitle';
import { useSessionChanged } from '../app/session';
import { recoveryErrorText } from './errors';
import { useLinkToken } from './linkToken';
import { recoveryApi } from './data';

/** The page a reset mail links to: a new password, then logged in (or sent to log in). */
export function ResetPasswordScreen() {
  const token = useLinkToken();
  usePageTitle('Set a new password');
  const navigate = useNavigate();
  const sessionChanged = useSessionChanged();
  const [password, setPassword] = useState('');
  const [tooShort, setTooShort] = useState(false);
  const rulesId = useId();
  const reset = useMutation({
    mutationFn: () => recoveryApi.confirmPasswordReset({ token: token ?? '', newPassword: password }),
    onSuccess: async (done) => {
      if (!done.loggedIn) return;
      sessionChanged((await api.me()).user);
      void navigate('/workbook');
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const short = password.length < PASSWORD_RULES.minLength;
    setTooShort(short);
    if (!short) reset.mutate();
  };

  if (token === null) {
    return (
      <section className="narrow">
        <ScreenHeading>Set a new password</ScreenHeading>
        <p role="alert" className="error">
          This link is incomplete. Open the link from the mail again, or <Link to="/forgot-password">ask for a new one</Link>.
        </p>
      </section>
    );
  }
  if (reset.isSuccess && !reset.data.loggedIn) {
    return (
      <section className="narrow">
        <ScreenHeading>Password set</ScreenHeading>
        <p role="status">
          Your new password is set and every earlier session has ended. <Link to="/login">Log in</Link> with {reset.data.email} and
          the new password.
        </p>
      </section>
    );
  }
  return (
    <section className="narrow">
      <ScreenHeading>Set a new password</ScreenHeading>
      <form onSubmit={submit} noValidate>
        <label htmlFor="reset-password">New password</label>
        <input
          id="reset-password"
          type="password"
          autoComplete="new-password"
          required
          minLength={PASSWORD_RULES.minLength}
          maxLength={PASSWORD_RULES.maxLength}
          aria-describedby={rulesId}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <p id={rulesId} className="hint">
          At least {PASSWORD_RULES.minLength} characters (up to {PASSWORD_RULES.maxLength}). A few unrelated words make a strong
          password. Every device logged in to your account is logged out.
        </p>
        {tooShort && (
          <p role="alert" className="error">
            The password needs at least {PASSWORD_RULES.minLength} characters.
          </p>
        )}
        {reset.isError && !tooShort && (
          <p role="alert" className="error">
            {recoveryErrorText(reset.error, 'reset')}
          </p>
        )}
        <button type="submit" className="primary" disabled={reset.isPending}>
          Set password
        </button>
        {reset.isError && (
          <p>
            <Link to="/forgot-password">Ask for a new link</Link>
          </p>
        )}
      </form>
    </section>
  );
}
