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
  // The workbook's questions are the same for everyone.
  'GET /api/ps101/flow',
]);

export function isPublicApiRoute(method: string, url: string): boolean {
  return PUBLIC_API_ROUTES.has(`${method === 'HEAD' ? 'GET' : method} ${url}`);
}
