import { ApiError } from '../api/client';
import { actionConnectionProblem } from '../app/connection';

/** A refused link or form of the recovery screens, in words a person can act on. */
export function recoveryErrorText(error: unknown, what: 'reset' | 'verify' | 'change'): string {
  if (!(error instanceof ApiError)) return 'Something went wrong. Try again.';
  switch (error.code) {
    case 'invalid_token':
      return what === 'reset'
        ? 'This link no longer works: it was used already, a newer one was sent, or it expired. Ask for a new one below.'
        : what === 'verify'
          ? 'This link no longer works: it was used already, a newer one was sent, or it expired. Log in and ask for a new one.'
          : 'This link no longer works: it was used already, a newer one was sent, or it expired. Ask for the change again from your Account screen.';
    case 'email_taken':
      return 'Another account uses this address now, so the change cannot be made.';
    case 'rate_limited':
    case 'too_many_attempts': {
      const minutes = Math.max(1, Math.ceil((error.retryAfterSeconds ?? 60) / 60));
      return `Too many attempts. Try again in ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}.`;
    }
    case 'invalid_credentials':
      return 'The password is wrong.';
    case 'offline':
      return actionConnectionProblem(error) ?? error.message;
    default:
      return error.message;
  }
}
