import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import { replyIfDatabaseUnavailable } from './database-unavailable.js';
import { sendError } from './error-body.js';
import type { RouteTable } from './route-table.js';
import { excerpt } from './text.js';

// Fastify's own client errors, mapped to stable codes a client can switch on.
const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid_content_length',
  FST_ERR_CTP_INVALID_TYPE: 'invalid_content_type',
  FST_ERR_CTP_INVALID_MEDIA_TYPE_FORMAT: 'invalid_content_type',
  FST_ERR_BAD_URL: 'invalid_url',
  FST_ERR_MAX_PARAM_LENGTH: 'uri_too_long',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'unsupported_media_type',
  FST_FILES_LIMIT: 'too_many_files',
  FST_FIELDS_LIMIT: 'too_many_fields',
  FST_PARTS_LIMIT: 'too_many_parts',
  FST_PROTO_VIOLATION: 'invalid_input',
};

// Fastify's status for some of its own errors is not the one a client should see.
const FASTIFY_STATUS: Record<string, number> = {
  // @fastify/multipart answers 406 (Not Acceptable, about the response) for a non-multipart body.
  FST_INVALID_MULTIPART_CONTENT_TYPE: 415,
  // Fastify sends 414 (URI Too Long) for a path segment over maxParamLength: it is one.
  FST_ERR_MAX_PARAM_LENGTH: 414,
};

function validationMessage(error: FastifyError): string {
  const first = error.validation?.[0];
  if (!first) return error.message;
  const where = error.validationContext ?? 'body';
  const path = first.instancePath ? `${where}${first.instancePath.replaceAll('/', '.')}` : where;
  return `${path} ${first.message ?? 'is invalid'}`;
}

const FRAMEWORK_MESSAGES: Record<string, string> = {
  FST_ERR_BAD_URL: 'The request path is not a valid URL.',
  FST_ERR_MAX_PARAM_LENGTH: 'A path segment is too long.',
};

/**
 * Fastify's `frameworkErrors` option: errors raised before routing (a `%zz` in the path, a path
 * segment over maxParamLength) in the same shape as every other error.
 */
export function frameworkErrorHandler(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const status = FASTIFY_STATUS[error.code] ?? error.statusCode ?? 400;
  const message = FRAMEWORK_MESSAGES[error.code] ?? 'The request could not be routed.';
  // Raised before any hook runs, so the security headers' nosniff is set here.
  reply.header('x-content-type-options', 'nosniff');
  sendError(reply, status, FASTIFY_CODES[error.code] ?? 'bad_request', message);
}

/** 405 with `Allow` when the path exists for other methods (RFC 9110 requires the header). */
function methodNotAllowed(routes: RouteTable, request: FastifyRequest, reply: FastifyReply, path: string) {
  const allowed = routes.allowedMethods(path);
  if (allowed.length === 0) return false;
  reply.header('allow', allowed.join(', '));
  sendError(reply, 405, 'method_not_allowed', `${excerpt(request.method, 20)} is not allowed here; use ${allowed.join(', ')}.`);
  return true;
}

/** Every error leaves as `{"error":{"code","message"}}`; a 5xx never shows its cause to the client. */
/**
 * What answers a request no route matched before the 404: the web app's page for a reload of
 * a client-side route (handed in by the server, so this module knows nothing of the web app).
 * Returns the reply when it answered, undefined otherwise.
 */
export type NotFoundFallback = (request: FastifyRequest, reply: FastifyReply) => FastifyReply | undefined;

export function registerErrorHandlers(app: FastifyInstance, routes: RouteTable, notFoundFallback?: NotFoundFallback): void {
  app.setErrorHandler((error: FastifyError | AppError, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof AppError) {
      if (error.headers) reply.headers(error.headers);
      return sendError(reply, error.status, error.code, error.message, error.details);
    }
    if (error.validation) {
      // A path whose id or segment does not validate names no resource at all.
      if (error.validationContext === 'params') return sendError(reply, 404, 'not_found', 'No such resource.');
      return sendError(reply, 400, 'invalid_input', validationMessage(error));
    }
    const status = FASTIFY_STATUS[error.code] ?? error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const code = FASTIFY_CODES[error.code] ?? (status === 429 ? 'too_many_requests' : 'bad_request');
      const message = error instanceof SyntaxError ? 'The request body is not valid JSON.' : error.message;
      return sendError(reply, status, code, message);
    }
    if (replyIfDatabaseUnavailable(error, request, reply)) return reply;
    request.log.error({ err: error }, 'request failed');
    if (status === 503) return sendError(reply, 503, 'unavailable', 'The service is unavailable; try again shortly.');
    return sendError(reply, 500, 'internal_error', 'Something went wrong on our side.');
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    if (methodNotAllowed(routes, request, reply, path)) return reply;
    const answered = notFoundFallback?.(request, reply);
    if (answered) return answered;
    return sendError(reply, 404, 'not_found', `No route for ${excerpt(request.method, 20)} ${excerpt(path)}.`);
  });
}
