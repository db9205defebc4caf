import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { ApiError, api } from '../api/client';
import { PASSWORD_RULES } from '../api/routes';
import { ConfirmDialog } from '../app/ConfirmDialog';
import { forgetPerson } from '../app/forget';
import { messageOf } from '../app/format';
import { ScreenHeading } from '../app/ScreenHeading';
import { usePageTitle } from '../app/usePageTitle';
import { useMe, useSessionChanged } from '../app/session';
import { EmailForm } from '../recovery/EmailForm';
import { deleteAccount, exportArchiveUrl, exportJsonUrl } from './data';
import { LogoutControls } from './LogoutControls';

const wrongPassword = (error: unknown) =>
  error instanceof ApiError && (error.code === 'invalid_credentials' || error.status === 401)
    ? 'The password is wrong.'
    : messageOf(error);

export default function AccountScreen() {
  const me = useMe();
  const navigate = useNavigate();
  const sessionChanged = useSessionChanged();
  const client = useQueryClient();
  usePageTitle('Account');
  const guest = me.data?.guest === true;
  // The account is gone: everything of it on this browser goes too, unsent edits included.
  const leave = async () => {
    await navigate('/', { flushSync: true });
    forgetPerson(client, me.data?.id ?? null, { keepUnsent: false });
    sessionChanged(null);
  };

  return (
    <section>
      <ScreenHeading>Account</ScreenHeading>
      <p>{guest ? 'You are using Mosaic as a guest.' : `Signed in as ${me.data?.email ?? ''}.`}</p>
      {!guest && <EmailForm email={me.data?.email ?? ''} verified={me.data?.emailVerified === true} />}
      {!guest && <PasswordForm email={me.data?.email ?? ''} />}
      {me.data && <LogoutControls user={me.data} />}
      <section className="card" aria-labelledby="export-title">
        <h2 id="export-title">Your data</h2>
        <p>Download everything Mosaic keeps about you: your workbook, your conversation with the coach, résumés, job matches and files.</p>
        <ul className="downloads">
          <li>
            <a className="button" href={exportArchiveUrl()} download aria-describedby="export-zip-hint">
              Download everything (.zip)
            </a>
            <p id="export-zip-hint" className="hint">
              A page you can open and read in any browser, even offline, the files you uploaded as they were, and the data file below.
            </p>
          </li>
          <li>
            <a className="button" href={exportJsonUrl()} download aria-describedby="export-json-hint">
              Download the data file (.json)
            </a>
            <p id="export-json-hint" className="hint">
              For moving your data to another program: every answer with its question, every message and list. Files are described, not included.
            </p>
          </li>
        </ul>
      </section>
      <DeleteAccount guest={guest} email={me.data?.email ?? ''} onDeleted={leave} />
    </section>
  );
}

/** Lets password managers tell which account a password form is about. */
function UsernameForManagers({ email }: { email: string }) {
  return <input type="email" name="username" autoComplete="username" value={email} readOnly hidden />;
}

function PasswordForm({ email }: { email: string }) {
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNew] = useState('');
  const change = useMutation({
    mutationFn: () => api.changePassword({ currentPassword, newPassword }),
    onSuccess: () => {
      setCurrent('');
      setNew('');
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    change.mutate();
  };
  return (
    <form className="card" onSubmit={submit} aria-labelledby="password-title">
      <h2 id="password-title">Change password</h2>
      <UsernameForManagers email={email} />
      <label htmlFor="current-password">Current password</label>
      <input id="current-password" type="password" autoComplete="current-password" value={currentPassword} onChange={(e) => setCurrent(e.target.value)} />
      <label htmlFor="new-password">New password</label>
      <input
        id="new-password"
        type="password"
        autoComplete="new-password"
        minLength={PASSWORD_RULES.minLength}
        maxLength={PASSWORD_RULES.maxLength}
        aria-describedby="new-password-rules"
        value={newPassword}
        onChange={(e) => setNew(e.target.value)}
      />
      <p id="new-password-rules" className="hint">
        At least {PASSWORD_RULES.minLength} characters. Your other sessions are logged out.
      </p>
      {change.isError && <p role="alert" className="error">{wrongPassword(change.error)}</p>}
      {change.isSuccess && <p role="status">Password changed.</p>}
      <button type="submit" disabled={change.isPending}>
        Change password
      </button>
    </form>
  );
}

function DeleteAccount({ guest, email, onDeleted }: { guest: boolean; email: string; onDeleted(): Promise<void> }) {
  const [password, setPassword] = useState('');
  const [confirming, setConfirming] = useState(false);
  const remove = useMutation({
    mutationFn: () => deleteAccount(guest ? undefined : password),
    onSuccess: onDeleted,
    onSettled: () => setConfirming(false),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setConfirming(true);
  };
  return (
    <form className="card" onSubmit={submit} aria-labelledby="delete-title">
      <h2 id="delete-title">Delete my account</h2>
      <p>This deletes your account and everything in it: workbook, chat, files, matches and résumés. It cannot be undone.</p>
      {!guest && (
        <>
          <UsernameForManagers email={email} />
          <label htmlFor="delete-password">Your password</label>
          <input id="delete-password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
        </>
      )}
      {remove.isError && <p role="alert" className="error">{wrongPassword(remove.error)}</p>}
      <button type="submit" className="danger" disabled={(!guest && password === '') || remove.isPending}>
        Delete my account
      </button>
      <ConfirmDialog
        open={confirming}
        title="Delete your account for good?"
        confirmLabel="Yes, delete everything"
        danger
        onCancel={() => setConfirming(false)}
        onConfirm={() => remove.mutate()}
      >
        <p>Everything you have in Mosaic is deleted now.</p>
      </ConfirmDialog>
    </form>
  );
}
