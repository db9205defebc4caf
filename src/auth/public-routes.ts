/**
 * The only `/api` routes that answer without a session. Every other route under `/api` is
 * closed by the gate (`closeApiByDefault` in gate.ts) before its body is read or validated,
 * so a route added without thinking about auth is private, and documented as such.
 * `METHOD /path` as registered; HEAD follows GET.
 */
export const PUBLIC_API_ROUTES: ReadonlySet<string> = new Set([
  'POST /api/auth/register',
  'POST /api/auth/guest',
  'POST /api/auth/login',
  // Ends the session it is given, if any; without one it only clears the cookie.
  'POST /api/auth/logout',
  // Token-based recovery: the token is the credential, and a mailed link may be opened on a
  // device with no session (src/recovery).
  'POST /api/auth/password-reset',
  'POST /api/auth/password-reset/confirm',
  'POST /api/auth/verify-email',
  'POST /api/auth/email/confirm',
  // The workbook's questions are the same for everyone.
  'GET /api/ps101/flow',
]);

export function isPublicApiRoute(method: string, url: string): boolean {
  return PUBLIC_API_ROUTES.has(`${method === 'HEAD' ? 'GET' : method} ${url}`);
}
