/**
 * An error a client can act on: it becomes `{"error":{"code","message"}}` with `status`.
 * Services throw it; the HTTP layer only renders it.
 */
export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Extra fields for the error body (for example the current state on a conflict). */
    readonly details?: Record<string, unknown>,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

export const notFound = (what = 'resource') => new AppError(404, 'not_found', `No such ${what}.`);
export const invalidInput = (message: string) => new AppError(400, 'invalid_input', message);
export const unauthenticated = () => new AppError(401, 'unauthenticated', 'Log in to continue.');
