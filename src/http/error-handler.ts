import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import { APP_PAGE, isAppPageRequest } from '../web/static.js';

export interface ErrorBody {
  error: { code: string; message: string; [extra: string]: unknown };
}

export function sendError(reply: FastifyReply, status: number, code: string, message: string, extra?: Record<string, unknown>) {
  return reply.code(status).type('application/json; charset=utf-8').send({ error: { code, message, ...extra } } satisfies ErrorBody);
}

// Fastify's own client errors, mapped to stable codes a client can switch on.
const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid_content_length',
  FST_ERR_CTP_INVALID_TYPE: 'invalid_content_type',
};

function validationMessage(error: FastifyError): string {
  const first = error.validation?.[0];
  if (!first) return error.message;
  const where = error.validationContext ?? 'body';
  const path = first.instancePath ? `${where}${first.instancePath.replaceAll('/', '.')}` : where;
  return `${path} ${first.message ?? 'is invalid'}`;
}

/** Every error leaves as `{"error":{"code","message"}}`; a 5xx never shows its cause to the client. */
export function registerErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | AppError, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof AppError) {
      if (error.headers) reply.headers(error.headers);
      return sendError(reply, error.status, error.code, error.message, error.details);
    }
    if (error.validation) {
      return sendError(reply, 400, 'invalid_input', validationMessage(error));
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const code = FASTIFY_CODES[error.code] ?? (status === 429 ? 'too_many_requests' : 'bad_request');
      const message = error instanceof SyntaxError ? 'The request body is not valid JSON.' : error.message;
      return sendError(reply, status, code, message);
    }
    request.log.error({ err: error }, 'request failed');
    if (status === 503) return sendError(reply, 503, 'unavailable', 'The service is unavailable; try again shortly.');
    return sendError(reply, 500, 'internal_error', 'Something went wrong on our side.');
  });

  app.setNotFoundHandler((request, reply) => {
    // A reload of a client-side route (/workbook, /files…) gets the web app's page.
    if (app.hasReplyDecorator('sendFile') && isAppPageRequest(request)) return reply.sendFile(APP_PAGE);
    return sendError(reply, 404, 'not_found', `No route for ${request.method} ${request.url.split('?')[0]}.`);
  });
}
