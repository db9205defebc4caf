import { Ajv, type Options } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifyInstance, FastifyRequest, FastifySchemaCompiler } from 'fastify';
import { AppError } from '../errors.js';
import { DECIMAL_ID_KEYWORD, MAX_ID } from './schemas.js';
import { findInvalidText, isValidUtf8, type TextViolation } from './text.js';

// ajv-formats is CommonJS: its plugin function is both module.exports and its `default`.
const addFormats = (addFormatsModule as unknown as { default: (ajv: Ajv) => Ajv }).default;

const DECIMAL_ID = /^[1-9][0-9]{0,15}$/;

/**
 * An id in a path or query: plain decimal digits only, 1 to 2^53-1, then a number. Ajv's own
 * integer coercion would take `0x10`, `1e3` or ` 12`, and a value past 2^53 loses precision or
 * overflows PostgreSQL's bigint, so the text is checked before it becomes a number.
 */
function addDecimalIdKeyword(ajv: Ajv): void {
  ajv.addKeyword({
    keyword: DECIMAL_ID_KEYWORD,
    modifying: true,
    schemaType: 'boolean',
    errors: false,
    validate: (_schema: boolean, data: unknown, _parent: unknown, cxt?: { parentData: Record<string, unknown>; parentDataProperty: string | number }) => {
      const id = typeof data === 'string' && DECIMAL_ID.test(data) ? Number(data) : data;
      if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 1 || id > MAX_ID) return false;
      if (cxt) cxt.parentData[cxt.parentDataProperty] = id;
      return true;
    },
  });
}

function makeAjv(options: Options): Ajv {
  const ajv = new Ajv({ allErrors: false, useDefaults: true, removeAdditional: false, strict: false, ...options });
  addFormats(ajv);
  addDecimalIdKeyword(ajv);
  return ajv;
}

// JSON bodies are typed by the client, so a wrong type is an error, never coerced ("12" is
// not 12). Query strings and path params arrive as text and must be coerced to their types.
const bodies = makeAjv({ coerceTypes: false });
const textParts = makeAjv({ coerceTypes: true });

type Validate = ((data: unknown) => boolean) & { errors?: unknown };

/**
 * Fastify asks for every route's validators at start; each is compiled on its route's first
 * request instead, so an idle server holds no generated code for routes nobody called
 * (about 5 MB of heap for Mosaic's routes; see ARCHITECTURE.md, idle memory). Fastify reads
 * `errors` off the function after a failed call, so it is copied from Ajv's.
 */
export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) => {
  const ajv = httpPart === 'body' ? bodies : textParts;
  let compiled: Validate | undefined;
  const validate: Validate = (data) => {
    compiled ??= ajv.compile(schema) as Validate;
    const valid = compiled(data);
    validate.errors = compiled.errors;
    return valid;
  };
  return validate as ReturnType<FastifySchemaCompiler<object>>;
};

const invalidText = ({ path, problem }: TextViolation) => new AppError(400, 'invalid_text', `${path} ${problem}.`);

/** Refuses a string that breaks the text rule, wherever it came from (a multipart file name, a field). */
export function assertValidText(value: string, path: string): void {
  const violation = findInvalidText(value, path);
  if (violation) throw invalidText(violation);
}

type ParserDone = (error: Error | null, body?: unknown) => void;
type TextDecoder = (request: FastifyRequest, text: string, done: ParserDone) => void;

/** A body parser that decodes only valid UTF-8: decoding first would silently turn bad bytes into U+FFFD. */
function utf8Parser(decode: TextDecoder) {
  return (request: FastifyRequest, body: Buffer, done: ParserDone): void => {
    if (!isValidUtf8(body)) done(new AppError(400, 'invalid_text', 'The request body is not valid UTF-8.'));
    else decode(request, body.toString('utf8'), done);
  };
}

/** decodeURIComponent refuses escapes of invalid UTF-8; a stray `%` is text, not an escape. */
function isUtf8Query(raw: string): boolean {
  try {
    decodeURIComponent(raw.replace(/%(?![0-9a-fA-F]{2})/g, '%25'));
    return true;
  } catch {
    return false;
  }
}

/**
 * The input rule for every request: bodies are decoded only when they are valid UTF-8, and
 * every string of the body, query and params (values and keys, with or without a route
 * schema) is checked once the schema has accepted the shapes, before any handler runs.
 */
export function registerInputRule(app: FastifyInstance): void {
  const json = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser(['application/json', 'text/plain']);
  // Fastify's default JSON parser answers through `done`; its type also allows a promise.
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, utf8Parser((request, text, done) => void json(request, text, done)));
  app.addContentTypeParser('text/plain', { parseAs: 'buffer' }, utf8Parser((_request, text, done) => done(null, text)));

  // A callback hook, not an async one: it runs on every request and does no I/O.
  app.addHook('preHandler', (request, _reply, done) => {
    // The query parser turns percent-encoded bytes that are not UTF-8 into U+FFFD: check the bytes.
    const queryStart = request.url.indexOf('?');
    if (queryStart !== -1 && !isUtf8Query(request.url.slice(queryStart + 1))) {
      return done(new AppError(400, 'invalid_text', 'The query string is not valid UTF-8.'));
    }
    const violation =
      findInvalidText(request.params, 'params') ?? findInvalidText(request.query, 'query') ?? findInvalidText(request.body, 'body');
    done(violation ? invalidText(violation) : undefined);
  });
}
