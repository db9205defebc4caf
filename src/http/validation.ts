import { Ajv, type Options } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

// ajv-formats is CommonJS: its plugin function is both module.exports and its `default`.
const addFormats = (addFormatsModule as unknown as { default: (ajv: Ajv) => Ajv }).default;

function makeAjv(options: Options): Ajv {
  const ajv = new Ajv({ allErrors: false, useDefaults: true, removeAdditional: false, strict: false, ...options });
  addFormats(ajv);
  return ajv;
}

// JSON bodies are typed by the client, so a wrong type is an error, never coerced ("12" is
// not 12). Query strings and path params arrive as text and must be coerced to their types.
const bodies = makeAjv({ coerceTypes: false });
const textParts = makeAjv({ coerceTypes: true });

export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) => {
  const ajv = httpPart === 'body' ? bodies : textParts;
  return ajv.compile(schema) as ReturnType<FastifySchemaCompiler<object>>;
};
