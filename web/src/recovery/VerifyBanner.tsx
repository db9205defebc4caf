import { useMutation } from '@tanstack/react-query';
import type { User } from '../api/types';
import { useMailEnabled } from './mailEnabled';
import { recoveryErrorText } from './errors';
import { recoveryApi } from './data';

/** A quiet reminder for a registered person whose address is not confirmed yet (only where Mosaic sends mail). */
export function VerifyBanner({ user }: { user: User | null }) {
  const unverified = user !== null && !user.guest && !user.emailVerified;
  const mailEnabled = useMailEnabled(unverified);
  const resend = useMutation({ mutationFn: recoveryApi.resendVerification });
  if (!mailEnabled || !unverified) return null;
  return (
    <aside className="banner quiet" aria-label="Address not confirmed">
      <p>
        Please confirm your address: we sent a link to {user.email}.{' '}
        {resend.isSuccess ? (
          <span role="status">A new link is on its way.</span>
        ) : (
          <button type="button" className="link" onClick={() => resend.mutate()} disabled={resend.isPending}>
            Send it again
          </button>
        )}
      </p>
      {resend.isError && (
        <p role="alert" className="error">
          {recoveryErrorText(resend.error, 'verify')}
        </p>
      )}
    </aside>
  );
}
