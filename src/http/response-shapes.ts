import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifyInstance } from 'fastify';

// ajv-formats is CommonJS: its plugin function is both module.exports and its `default`.
const addFormats = (addFormatsModule as unknown as { default: (ajv: Ajv) => Ajv }).default;

type Schema = Record<string, unknown>;
type Validate = ((data: unknown) => boolean) & { errors?: unknown };

/** A copy of `schema` in which every object without its own rule allows no other properties. */
function closed(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closed);
  if (schema === null || typeof schema !== 'object') return schema;
  const copy: Schema = {};
  for (const [key, value] of Object.entries(schema)) copy[key] = closed(value);
  if ((copy.type === 'object' || copy.properties !== undefined) && copy.additionalProperties === undefined) {
    copy.additionalProperties = false;
  }
  return copy;
}

/**
 * Checks every JSON answer against its route's response schema with no property the schema does
 * not name. The serializer silently drops such a property, so a field a service returns but its
 * schema lacks would type-check and never reach anyone; with this on (the test configuration),
 * the answer is a 500 naming the route and the property, and the test that made it fails.
 * Each answer is checked as the serializer sees it, so it costs a validation per answer: tests only.
 */
export function checkResponseShapes(app: FastifyInstance): void {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const compiled = new WeakMap<object, Validate>();

  app.addHook('preSerialization', (request, reply, payload, done) => {
    const responses = request.routeOptions.schema?.response as Record<string, unknown> | undefined;
    const status = String(reply.statusCode);
    const schema = responses?.[status] ?? responses?.[`${status[0]}xx`] ?? responses?.default;
    if (schema === undefined || schema === null || typeof schema !== 'object') {
      done(null, payload);
      return;
    }
    let validate = compiled.get(schema);
    if (!validate) {
      // JSON first: schema builders may carry symbol-keyed metadata Ajv need not see.
      validate = ajv.compile(closed(JSON.parse(JSON.stringify(schema)) as unknown) as Schema) as Validate;
      compiled.set(schema, validate);
    }
    if (validate(payload)) {
      done(null, payload);
      return;
    }
    const problems = JSON.stringify(validate.errors);
    request.log.error({ route: request.routeOptions.url, status, problems }, 'response does not match its schema');
    done(new Error(`${request.method} ${request.routeOptions.url ?? ''} answered ${status} with a body its schema does not describe: ${problems}`));
  });
}
