import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useMailEnabled } from './mailEnabled';
import { recoveryErrorText } from './errors';
import { recoveryApi } from './data';

/** The Account screen's change of address: nothing changes until the new address confirms. */
export function EmailForm({ email, verified }: { email: string; verified: boolean }) {
  const mailEnabled = useMailEnabled(true);
  const [newEmail, setNewEmail] = useState('');
  const [currentPassword, setCurrentPassword] = useState('');
  const change = useMutation({
    mutationFn: () => recoveryApi.changeEmail({ newEmail: newEmail.trim(), currentPassword }),
    onSuccess: () => setCurrentPassword(''),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    change.mutate();
  };
  return (
    <form className="card" onSubmit={submit} aria-labelledby="email-title" noValidate>
      <h2 id="email-title">Email address</h2>
      <p>
        {email} — {verified ? 'confirmed' : 'not confirmed yet'}
      </p>
      {!mailEnabled ? (
        <p className="hint">Changing the address needs mail, which this Mosaic does not send. Ask whoever runs it.</p>
      ) : (
        <>
          <label htmlFor="new-email">New address</label>
          <input id="new-email" type="email" autoComplete="email" maxLength={320} value={newEmail} onChange={(e) => setNewEmail(e.target.value)} />
          <label htmlFor="email-password">Current password</label>
          <input
            id="email-password"
            type="password"
            autoComplete="current-password"
            value={currentPassword}
            onChange={(e) => setCurrentPassword(e.target.value)}
          />
          {change.isError && (
            <p role="alert" className="error">
              {recoveryErrorText(change.error, 'change')}
            </p>
          )}
          {change.isSuccess && (
            <p role="status">
              We sent a link to {change.data.pendingEmail}. Your address changes when you follow it; until then, nothing changes.
            </p>
          )}
          <button type="submit" disabled={change.isPending || newEmail.trim() === '' || currentPassword === ''}>
            Change address
          </button>
        </>
      )}
    </form>
  );
}
