import { Type } from 'typebox';
import { Id, NullableString, OrNull, Timestamp } from '../http/response-schemas.js';

const Message = Type.Object({
  id: Id,
  role: Type.Union([Type.Literal('user'), Type.Literal('coach')]),
  content: Type.String(),
  provider: NullableString({ description: 'which coach wrote a reply; null for the person' }),
  createdAt: Timestamp,
});

const Metrics = Type.Object({
  clarity: Type.Integer({ minimum: 0, maximum: 100 }),
  action: Type.Integer({ minimum: 0, maximum: 100 }),
  momentum: Type.Integer({ minimum: 0, maximum: 100 }),
});

const MetricsPoint = Type.Object({ ...Metrics.properties, messageId: Id, createdAt: Timestamp });

export const Exchange = Type.Object({ message: Message, reply: Message, metrics: Metrics });
export const MessagePage = Type.Object({
  messages: Type.Array(Message),
  nextCursor: NullableString({ description: 'pass as `before` for the older page; null at the start' }),
});
export const MetricsHistory = Type.Object({ latest: OrNull(MetricsPoint), history: Type.Array(MetricsPoint) });
