import { useEffect, useRef } from 'react';
import { Link, NavLink, Outlet, useLocation } from 'react-router';
import { LegacyOffer } from '../legacy/LegacyOffer';
import { VerifyBanner } from '../recovery/VerifyBanner';
import { useMe, useSessionEnded, watchSessionEnd } from './session';

const SCREENS = [
  { to: '/workbook', label: 'Workbook' },
  { to: '/chat', label: 'Coach' },
  { to: '/files', label: 'Files' },
  { to: '/matches', label: 'Job matches' },
  { to: '/resumes', label: 'Résumés' },
  { to: '/account', label: 'Account' },
];

export function Layout() {
  const me = useMe();
  const user = me.data ?? null;
  const ended = useSessionEnded();
  const location = useLocation();
  const hadSession = useRef(false);
  hadSession.current = user !== null;
  useEffect(() => watchSessionEnd(() => hadSession.current), []);
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
                Guest — <Link to="/register">create an account</Link> to keep your work everywhere
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
      </header>
      {ended && (
        <div className="banner" role="alert">
          <p>
            Your session has ended. Your unsent edits are kept on this device.{' '}
            <Link to={`/login?next=${encodeURIComponent(here)}`}>Log in again</Link> to continue where you were.
          </p>
        </div>
      )}
      {!ended && <VerifyBanner user={user} />}
      <main id="main">
        {user !== null && <LegacyOffer />}
        <Outlet />
      </main>
    </>
  );
}
