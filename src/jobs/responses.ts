import { Type } from 'typebox';
import { Id, NullableInteger, NullableString, Timestamp } from '../http/response-schemas.js';
import { MATCH_STATUSES } from './service.js';

const Status = Type.Unsafe<(typeof MATCH_STATUSES)[number]>({ type: 'string', enum: [...MATCH_STATUSES] });
const NullableStatus = Type.Unsafe<(typeof MATCH_STATUSES)[number] | null>({ type: ['string', 'null'], enum: [...MATCH_STATUSES, null] });

export const PublicMatch = Type.Object({
  id: Id,
  roleId: Type.String(),
  title: Type.String(),
  field: Type.String(),
  score: Type.Number(),
  rank: NullableInteger({ description: 'position in the latest refresh; null once dropped out' }),
  current: Type.Boolean(),
  matchedSkills: Type.Array(Type.String()),
  matchedValues: Type.Array(Type.String()),
  entryPaths: Type.Array(Type.String()),
  status: NullableStatus,
  notes: NullableString(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export const StatusChange = Type.Object({ fromStatus: NullableStatus, toStatus: Status, notes: NullableString(), createdAt: Timestamp });

export const Refresh = Type.Object({
  matches: Type.Array(PublicMatch),
  reason: Type.Unsafe<'no_input' | 'no_match' | null>({ type: ['string', 'null'], enum: ['no_input', 'no_match', null] }),
});
export const MatchList = Type.Object({ matches: Type.Array(PublicMatch) });
export const MatchDetail = Type.Object({
  match: Type.Object({ ...PublicMatch.properties, history: Type.Array(StatusChange) }),
});
