import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link, NavLink, Outlet, useLocation } from 'react-router';
import { LegacyOffer } from '../legacy/LegacyOffer';
import { VerifyBanner } from '../recovery/VerifyBanner';
import { ConnectionBanner } from './ConnectionBanner';
import { discardUnsentEdits } from './forget';
import { plural } from './format';
import { finishLogoutWhenOnline, useMe, useSessionEnded, watchSessionEnd, type EndedSession } from './session';

const SCREENS = [
  { to: '/workbook', label: 'Workbook' },
  { to: '/chat', label: 'Coach' },
  { to: '/files', label: 'Files' },
  { to: '/jobs', label: 'My jobs' },
  { to: '/matches', label: 'Job matches' },
  { to: '/resumes', label: 'Résumés' },
  { to: '/account', label: 'Account' },
];

export function Layout() {
  const me = useMe();
  const user = me.data ?? null;
  const ended = useSessionEnded();
  const location = useLocation();
  const client = useQueryClient();
  useEffect(() => watchSessionEnd(client), [client]);
  useEffect(() => finishLogoutWhenOnline(), []);
  const here = `${location.pathname}${location.search}`;

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <div className="brand-row">
          <Link to="/" className="brand">
            Mosaic
          </Link>
          <p className="who" aria-live="polite">
            {user === null ? (
              me.isPending ? '' : <Link to="/login">Log in</Link>
            ) : user.guest ? (
              <>
                Guest — <Link to="/register">create an account</Link> to keep your work everywhere, or{' '}
                <Link to="/login">log in</Link>
              </>
            ) : (
              user.email
            )}
          </p>
        </div>
        {user !== null && (
          <nav aria-label="Main">
            <ul>
              {SCREENS.map((screen) => (
                <li key={screen.to}>
                  <NavLink to={screen.to}>{screen.label}</NavLink>
                </li>
              ))}
            </ul>
          </nav>
        )}
        {user !== null && <ConnectionBanner />}
      </header>
      {ended && <SessionEndedBanner ended={ended} next={here} />}
      {!ended && <VerifyBanner user={user} />}
      <main id="main">
        {user !== null && <LegacyOffer />}
        <Outlet />
      </main>
    </>
  );
}

/**
 * The session ended: nothing of the person is shown any more. Answers they typed and that were
 * not sent are kept until they choose: kept, they are sent when the same account logs in here
 * again (never into another account); discarded, they are deleted from this browser now.
 */
function SessionEndedBanner({ ended, next }: { ended: EndedSession; next: string }) {
  const [choice, setChoice] = useState<'kept' | 'discarded' | null>(null);
  const answers = plural(ended.unsent, 'answer', 'answers');
  return (
    <div className="banner" role="alert">
      <p>
        Your session has ended, so this page no longer shows your work.{' '}
        <Link to={`/login?next=${encodeURIComponent(next)}`}>Log in again</Link> to continue where you were.
      </p>
      {ended.unsent > 0 && choice === null && (
        <>
          <p>
            {answers} you typed could not be sent. Keep them on this browser (they are sent when you log in again here
            to the same account; anyone using this browser could read them meanwhile), or discard them.
          </p>
          <div className="actions">
            <button type="button" onClick={() => setChoice('kept')}>
              Keep them until I log in again
            </button>
            <button
              type="button"
              className="danger"
              onClick={() => {
                discardUnsentEdits(ended.userId);
                setChoice('discarded');
              }}
            >
              Discard them
            </button>
          </div>
        </>
      )}
      {choice === 'kept' && <p>Kept on this browser until you log in again.</p>}
      {choice === 'discarded' && <p>Discarded: nothing of yours is left on this browser.</p>}
    </div>
  );
}
