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

/** Who-am-I also says whether this Mosaic sends mail (address verification and changes need it). */
export const MeResponse = Type.Object({
  user: PublicUser,
  mailEnabled: Type.Boolean({ description: 'whether this server sends mail (SMTP_URL is set)' }),
});
