import type { FastifyServerOptions } from 'fastify';
import type { DestinationStream } from 'pino';

// Secrets that may sit in anything a log call is given: headers, bodies, parsed credentials.
// Fastify's request serializer logs no headers or bodies; these paths keep a later
// `log.info({ headers })` or `log.debug({ body })` from leaking them.
const REDACT_PATHS = [
  'req.headers.cookie',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
  'headers.cookie',
  'headers.authorization',
  'headers["set-cookie"]',
  'cookie',
  'authorization',
  'password',
  'currentPassword',
  'newPassword',
  'token',
  'body',
  'content',
  '*.password',
  '*.currentPassword',
  '*.newPassword',
  '*.token',
  '*.cookie',
  '*.body',
  '*.content',
];

/** pino options for the server: level, and redaction of credentials, cookies and contents. */
export function loggerOptions(level: string, stream?: DestinationStream): NonNullable<FastifyServerOptions['logger']> {
  return {
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    ...(stream ? { stream } : {}),
  };
}
