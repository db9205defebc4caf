import { ApiError } from '../api/client';
import { actionConnectionProblem } from '../app/connection';

/** The API's refusal of a login or registration, in words a person can act on. */
export function authErrorText(error: unknown, mode: 'login' | 'register'): string {
  if (!(error instanceof ApiError)) return 'Something went wrong. Try again.';
  switch (error.code) {
    case 'email_taken':
      return 'An account with this email already exists. Log in instead, or use another email.';
    case 'invalid_credentials':
      return 'Wrong email or password.';
    case 'too_many_attempts': {
      const minutes = Math.max(1, Math.ceil((error.retryAfterSeconds ?? 60) / 60));
      return `Too many attempts. Try again in ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}.`;
    }
    case 'invalid_input':
      return mode === 'register' ? `Check your email and password: ${error.message}` : error.message;
    case 'offline':
      return actionConnectionProblem(error) ?? error.message;
    default:
      return error.message;
  }
}
