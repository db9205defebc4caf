import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { ScreenHeading } from '../app/ScreenHeading';
import { usePageTitle } from '../app/usePageTitle';
import { recoveryErrorText } from './errors';
import { recoveryApi } from './data';

/** Asks for a reset link. The answer reads the same whether or not the address has an account. */
export function ForgotPasswordScreen() {
  const [email, setEmail] = useState('');
  usePageTitle('Forgot your password');
  const request = useMutation({ mutationFn: () => recoveryApi.requestPasswordReset(email.trim()) });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    request.mutate();
  };
  return (
    <section className="narrow">
      <ScreenHeading>Forgot your password?</ScreenHeading>
      {request.isSuccess ? (
        <div role="status">
          <p>
            If an account uses <strong>{email.trim()}</strong>, a mail with a link to set a new password is on its way. The link
            works once, for a short while.
          </p>
          <p className="hint">
            Nothing arrived after a few minutes? Look in your spam folder, check the address, or ask whoever runs this Mosaic
            for a reset link.
          </p>
          <p>
            <Link to="/login">Back to log in</Link>
          </p>
        </div>
      ) : (
        <form onSubmit={submit} noValidate>
          <p>Enter the address you log in with. We will mail you a link to set a new password.</p>
          <label htmlFor="reset-email">Email</label>
          <input id="reset-email" type="email" autoComplete="email" required maxLength={320} value={email} onChange={(e) => setEmail(e.target.value)} />
          {request.isError && (
            <p role="alert" className="error">
              {recoveryErrorText(request.error, 'reset')}
            </p>
          )}
          <button type="submit" className="primary" disabled={request.isPending || email.trim() === ''}>
            Send me a link
          </button>
          <p>
            <Link to="/login">Back to log in</Link>
          </p>
        </form>
      )}
    </section>
  );
}
