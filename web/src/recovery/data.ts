import { call } from '../api/client';
import { API } from '../api/routes';
import type { EmailChangePending, EmailResult, RecoveryMessage, ResetConfirmed } from '../api/types';

/** Recovery's calls: a forgotten password, confirming and changing the address by mailed link. */
export const recoveryApi = {
  requestPasswordReset: (email: string) => call<RecoveryMessage>(API.requestPasswordReset, { body: { email } }),
  confirmPasswordReset: (body: { token: string; newPassword: string }) => call<ResetConfirmed>(API.confirmPasswordReset, { body }),
  verifyEmail: (token: string) => call<EmailResult>(API.verifyEmail, { body: { token } }),
  resendVerification: () => call<RecoveryMessage>(API.resendVerification),
  changeEmail: (body: { newEmail: string; currentPassword: string }) => call<EmailChangePending>(API.changeEmail, { body }),
  confirmEmailChange: (token: string) => call<EmailResult>(API.confirmEmailChange, { body: { token } }),
};
