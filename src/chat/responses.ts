import { Type, type Static } from 'typebox';
import { Id, NullableString, OrNull, Timestamp } from '../http/response-schemas.js';

export const Message = Type.Object({
  id: Id,
  role: Type.Union([Type.Literal('user'), Type.Literal('coach')]),
  content: Type.String(),
  provider: NullableString({ description: 'which coach wrote a reply; null for the person' }),
  createdAt: Timestamp,
});

export const Metrics = Type.Object({
  clarity: Type.Integer({ minimum: 0, maximum: 100 }),
  action: Type.Integer({ minimum: 0, maximum: 100 }),
  momentum: Type.Integer({ minimum: 0, maximum: 100 }),
});

export const MetricsPoint = Type.Object({ ...Metrics.properties, messageId: Id, createdAt: Timestamp });

export const Exchange = Type.Object({ message: Message, reply: Message, metrics: Metrics });
export const MessagePage = Type.Object({
  messages: Type.Array(Message),
  nextCursor: NullableString({ description: 'pass as `before` for the older page; null at the start' }),
});
export const MetricsHistory = Type.Object({ latest: OrNull(MetricsPoint), history: Type.Array(MetricsPoint) });

export type ChatMessage = Static<typeof Message>;
export type CoachMetricsResponse = Static<typeof Metrics>;
export type MetricsPoint = Static<typeof MetricsPoint>;
export type ChatExchange = Static<typeof Exchange>;
export type MessagePage = Static<typeof MessagePage>;
export type MetricsHistory = Static<typeof MetricsHistory>;

/**
 * The events of a streamed reply (`Accept: text/event-stream`), in order: `message` (the
 * person's stored message), `delta` (`{ text }`, any number, in order), then either `done`
 * (the stored exchange, as the JSON answer) or `error` (the error body, as a JSON error).
 */
export type ChatStreamEvent =
  | { event: 'message'; data: ChatMessage }
  | { event: 'delta'; data: { text: string } }
  | { event: 'done'; data: ChatExchange }
  | { event: 'error'; data: { error: { code: string; message: string; [detail: string]: unknown } } };
