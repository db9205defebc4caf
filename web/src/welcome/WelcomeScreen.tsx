import { useMutation } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router';
import { api } from '../api/client';
import { ScreenHeading } from '../app/ScreenHeading';
import { usePageTitle } from '../app/usePageTitle';
import { messageOf } from '../app/format';
import { useMe, useSessionChanged } from '../app/session';

export function WelcomeScreen() {
  const me = useMe();
  usePageTitle('Welcome');
  const navigate = useNavigate();
  const sessionChanged = useSessionChanged();
  const guest = useMutation({
    mutationFn: api.guest,
    onSuccess: ({ user }) => {
      sessionChanged(user);
      void navigate('/workbook');
    },
  });
  const user = me.data ?? null;

  return (
    <section className="welcome">
      <ScreenHeading>Welcome to Mosaic</ScreenHeading>
      <p className="lead">
        Mosaic helps you change careers: work through the PS101 problem-solving workbook, talk it over with a coach, and
        turn what you learn into résumés and job matches you can track. Everything you write is saved as you type.
      </p>
      {user ? (
        <p>
          <Link className="button primary" to="/workbook">
            Continue your workbook
          </Link>
        </p>
      ) : (
        <div className="actions">
          <button type="button" className="primary" onClick={() => guest.mutate()} disabled={guest.isPending}>
            Start without an account
          </button>
          <Link className="button" to="/register">
            Create account
          </Link>
          <Link className="button" to="/login">
            Log in
          </Link>
        </div>
      )}
      {guest.isError && <p role="alert" className="error">{messageOf(guest.error)}</p>}
    </section>
  );
}
