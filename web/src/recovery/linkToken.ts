import { useEffect, useState } from 'react';

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/**
 * The token of a mailed link, read from the URL's fragment (`#token=…`), where the server
 * put it so that no request ever carries it. Once read, it is taken out of the address bar
 * and the history, so it does not linger on screen or in the back button. Null when the
 * fragment holds no well-formed token.
 */
export function useLinkToken(): string | null {
  const [token] = useState(() => {
    const value = new URLSearchParams(window.location.hash.slice(1)).get('token');
    return value && TOKEN.test(value) ? value : null;
  });
  useEffect(() => {
    if (window.location.hash) window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search);
  }, []);
  return token;
}
