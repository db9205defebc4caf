import { Type } from 'typebox';
import { Id, NullableString, Timestamp } from '../http/response-schemas.js';

export const PublicUser = Type.Object({
  id: Id,
  email: NullableString({ description: 'null for a guest' }),
  guest: Type.Boolean(),
  createdAt: Timestamp,
});

export const UserResponse = Type.Object({ user: PublicUser });
