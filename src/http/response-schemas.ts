import { Type, type TSchema, type TUnsafe } from 'typebox';

// Building blocks for response schemas. A nullable value is written as a JSON Schema type
// array (`["string","null"]`), valid in OpenAPI 3.1, which fast-json-stringify serializes
// directly; an `anyOf` would make it validate each value against every branch.

export const NullableString = (options: { format?: string; description?: string } = {}): TUnsafe<string | null> =>
  Type.Unsafe<string | null>({ type: ['string', 'null'], ...options });

export const NullableInteger = (options: { description?: string } = {}): TUnsafe<number | null> =>
  Type.Unsafe<number | null>({ type: ['integer', 'null'], ...options });

export const NullableNumber = (options: { description?: string } = {}): TUnsafe<number | null> =>
  Type.Unsafe<number | null>({ type: ['number', 'null'], ...options });

/** A value of `schema`, or null. For objects, where a type array cannot carry the properties. */
export const OrNull = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** ISO 8601 UTC text, as every timestamp is stored and sent. */
export const Timestamp = Type.String({ format: 'date-time' });
export const NullableTimestamp = NullableString({ format: 'date-time' });

export const Id = Type.Integer({ minimum: 1 });

/** An object whose keys are free text and values strings (e.g. workbook answers by prompt key). */
export const StringMap = Type.Unsafe<Record<string, string>>({ type: 'object', additionalProperties: { type: 'string' } });

/** 204: no body. */
export const NoContent = Type.Unsafe<undefined>({ type: 'null', description: 'No content' });
