import {
  OperationNodeTransformer,
  PrimitiveValueListNode,
  ValueNode,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely';

/** "Now" as the one timestamp representation both backends store. Computed in the app, never by SQL. */
export function nowIso(now: Date = new Date()): string {
  return now.toISOString();
}

export function addDays(iso: string, days: number): string {
  return new Date(Date.parse(iso) + days * 86_400_000).toISOString();
}

export function addSeconds(iso: string, seconds: number): string {
  return new Date(Date.parse(iso) + seconds * 1000).toISOString();
}

/** JSON columns arrive as text on both backends (the pg json parser is switched off). */
export function readJson<T>(value: unknown): T {
  if (typeof value !== 'string') throw new TypeError('expected JSON text from the database');
  return JSON.parse(value) as T;
}

/** PostgreSQL returns booleans, SQLite 0/1. */
export function readBool(value: unknown): boolean {
  return value === true || value === 1 || value === 1n;
}

function sqliteValue(value: unknown): unknown {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return value.toISOString();
  return value;
}

class SqliteValuesTransformer extends OperationNodeTransformer {
  protected override transformValue(node: ValueNode): ValueNode {
    const value = sqliteValue(node.value);
    return value === node.value ? super.transformValue(node) : ValueNode.create(value);
  }

  protected override transformPrimitiveValueList(node: PrimitiveValueListNode): PrimitiveValueListNode {
    return PrimitiveValueListNode.create(node.values.map(sqliteValue));
  }
}

/**
 * better-sqlite3 refuses to bind booleans and Dates. This plugin turns them into 0/1 and
 * ISO text so application code passes the same values to both backends.
 */
export class SqliteValuesPlugin implements KyselyPlugin {
  readonly #transformer = new SqliteValuesTransformer();

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return this.#transformer.transformNode(args.node);
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}
