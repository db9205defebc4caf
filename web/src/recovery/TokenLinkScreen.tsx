import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { ScreenHeading } from '../app/ScreenHeading';
import { usePageTitle } from '../app/usePageTitle';
import { ME_KEY } from '../app/session';
import { recoveryErrorText } from './errors';
import { useLinkToken } from './linkToken';
import { recoveryApi } from './data';

const PAGES = {
  verify: {
    title: 'Confirm your address',
    intro: 'Confirm that this address is yours, so you can always get back into your account.',
    button: 'Confirm my address',
    done: (email: string) => `Thank you: ${email} is confirmed.`,
    send: (token: string) => recoveryApi.verifyEmail(token),
  },
  change: {
    title: 'Confirm your new address',
    intro: 'Your account moves to this new address once you confirm. The old address gets a notice.',
    button: 'Use this address',
    done: (email: string) => `Done: your account now uses ${email}. Log in with it from now on.`,
    send: (token: string) => recoveryApi.confirmEmailChange(token),
  },
} as const;

/**
 * The pages a verification or address-change mail links to. Nothing is sent until the
 * person presses the button: a mail scanner that opens links changes nothing.
 */
export function TokenLinkScreen({ kind }: { kind: keyof typeof PAGES }) {
  const page = PAGES[kind];
  usePageTitle(page.title);
  const token = useLinkToken();
  const queryClient = useQueryClient();
  const confirm = useMutation({
    mutationFn: () => page.send(token ?? ''),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ME_KEY }),
  });
  return (
    <section className="narrow">
      <ScreenHeading>{page.title}</ScreenHeading>
      {token === null ? (
        <p role="alert" className="error">
          This link is incomplete. Open the link from the mail again.
        </p>
      ) : confirm.isSuccess ? (
        <p role="status">
          {page.done(confirm.data.email)} <Link to="/workbook">Go to your workbook</Link>
        </p>
      ) : (
        <>
          <p>{page.intro}</p>
          {confirm.isError && (
            <p role="alert" className="error">
              {recoveryErrorText(confirm.error, kind)}
            </p>
          )}
          <button type="button" className="primary" onClick={() => confirm.mutate()} disabled={confirm.isPending}>
            {page.button}
          </button>
        </>
      )}
    </section>
  );
}
