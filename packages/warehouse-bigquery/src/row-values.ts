import type { ColumnDeclaration, ColumnType } from '@funnelcast/core';
import { BIGQUERY_TYPES } from './ddl.js';

/**
 * Rows cross the wire as query parameters (ARRAY<STRUCT<…>> unnested by DML) and come back parsed by the client
 * (numbers, and `{ value }` wrappers for DATE and TIMESTAMP). These helpers do both directions from the column
 * declarations, so no column list is spelt out twice.
 */

/** The parameter type of an array of rows: `[{ column: 'STRING', … }]`, struct fields in declared order. */
export function rowsParamType(columns: readonly Pick<ColumnDeclaration, 'name' | 'type'>[]): Record<string, string>[] {
  return [Object.fromEntries(columns.map((c) => [c.name, BIGQUERY_TYPES[c.type]]))];
}

/** One row as a struct value with exactly the declared fields, in order (the client reads keys in order). */
export function toStruct(columns: readonly Pick<ColumnDeclaration, 'name'>[], row: object): Record<string, unknown> {
  const values = row as Record<string, unknown>;
  return Object.fromEntries(columns.map((c) => [c.name, values[c.name] ?? null]));
}

// The client wraps DATE, TIMESTAMP and friends in objects holding the text in `value`.
function unwrap(value: unknown): unknown {
  return typeof value === 'object' && value !== null && 'value' in value ? (value as { value: unknown }).value : value;
}

const DECODE: Readonly<Record<ColumnType, (value: unknown) => string | number | boolean>> = {
  STRING: (v) => String(v),
  DATE: (v) => String(v).slice(0, 10),
  TIMESTAMP: (v) => new Date(String(v)).toISOString(),
  INT64: (v) => Number(v),
  FLOAT64: (v) => Number(v),
  // The client parses BOOL cells to booleans; text is what the REST API itself carries.
  BOOL: (v) => v === true || v === 'true',
};

/** A value the client returned, as core's row types hold it (ISO text for dates and timestamps, numbers). */
export function decodeValue(type: ColumnType, value: unknown): string | number | boolean | null {
  const plain = unwrap(value);
  return plain === null || plain === undefined ? null : DECODE[type](plain);
}

/** A returned row decoded column by column from its declaration. */
export function decodeRow<T>(columns: readonly ColumnDeclaration[], raw: Record<string, unknown>): T {
  return Object.fromEntries(columns.map((c) => [c.name, decodeValue(c.type, raw[c.name])])) as T;
}
