import { Type, type Static } from 'typebox';

/** A request that was taken (a mail may follow); the same words whether or not one was sent. */
export const RecoveryMessage = Type.Object({ message: Type.String() });
export type RecoveryMessage = Static<typeof RecoveryMessage>;

/** The address a mailed link confirmed. */
export const EmailResult = Type.Object({ email: Type.String() });
export type EmailResult = Static<typeof EmailResult>;

export const ResetConfirmed = Type.Object({
  email: Type.String(),
  loggedIn: Type.Boolean({ description: 'false when the browser holds a guest: the person logs in next and chooses what becomes of that work' }),
});
export type ResetConfirmed = Static<typeof ResetConfirmed>;

export const EmailChangePending = Type.Object({ pendingEmail: Type.String() });
export type EmailChangePending = Static<typeof EmailChangePending>;
