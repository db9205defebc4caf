import { Type, type Static } from 'typebox';
import { Id, NullableString, Timestamp } from '../http/response-schemas.js';

export const PublicUser = Type.Object({
  id: Id,
  email: NullableString({ description: 'null for a guest' }),
  guest: Type.Boolean(),
  emailVerified: Type.Boolean({ description: 'whether the email was confirmed through a mailed link (false for a guest)' }),
  createdAt: Timestamp,
});
export type PublicUser = Static<typeof PublicUser>;

export const UserResponse = Type.Object({ user: PublicUser });
export type UserResponse = Static<typeof UserResponse>;

export const LoginResponse = Type.Object({
  user: PublicUser,
  guestWork: Type.Union([Type.Literal('merged'), Type.Literal('discarded'), Type.Null()], {
    description: "what became of the guest's work, when a guest logged in",
  }),
});
export type LoginResponse = Static<typeof LoginResponse>;

/** Who-am-I also says whether this Mosaic sends mail (address verification and changes need it). */
export const MeResponse = Type.Object({
  user: PublicUser,
  mailEnabled: Type.Boolean({ description: 'whether this server sends mail (SMTP_URL is set)' }),
});
export type MeResponse = Static<typeof MeResponse>;
