import { Type } from 'typebox';

/** The largest id both backends hold exactly: JavaScript numbers stop being exact past 2^53-1. */
export const MAX_ID = Number.MAX_SAFE_INTEGER;

/** The ajv keyword (src/http/validation.ts) that turns a path's decimal digits into an id. */
export const DECIMAL_ID_KEYWORD = 'x-decimal-id';

/** An id in a JSON body: an integer from 1 to 2^53-1 (a string, 0, -1 or 1e20 answers 400). */
export const Id = Type.Integer({ minimum: 1, maximum: MAX_ID });

/**
 * `:id` in a path: plain decimal digits, 1 to 2^53-1 (`01`, `1e3`, `0x10`, `-1`, `1.0` and
 * `Infinity` are not ids). Anything else answers 404, like an id that does not exist.
 */
export const IdParams = Type.Object({ id: Type.Unsafe<number>({ [DECIMAL_ID_KEYWORD]: true }) });
