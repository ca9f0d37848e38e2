import { z } from 'zod';
import type { ColumnDeclaration, ColumnType, RelationDeclaration } from '@funnelcast/core';

const VALUE: Readonly<Record<ColumnType, () => z.ZodType>> = {
  STRING: () => z.string(),
  DATE: () => z.iso.date(),
  TIMESTAMP: () => z.iso.datetime(),
  INT64: () => z.number().int(),
  FLOAT64: () => z.number(),
  BOOL: () => z.boolean(),
};

/** The JSON schema of one declared column: its type, null where the declaration allows it, its description. */
function columnSchema(column: ColumnDeclaration): z.ZodType {
  const value = VALUE[column.type]();
  return (column.nullable ? value.nullable() : value).describe(column.description);
}

/**
 * A row of a published relation as `--json` prints it: the declared columns under their own names (the warehouse's
 * vocabulary), less `omit`, with `extra` fields. Derived from core's declarations, so the schema cannot drift from the view.
 */
export function relationRowSchema<Extra extends z.ZodRawShape>(relation: RelationDeclaration, omit: readonly string[], extra: Extra) {
  const columns = relation.columns.filter((column) => !omit.includes(column.name));
  return z.strictObject({ ...Object.fromEntries(columns.map((column) => [column.name, columnSchema(column)])), ...extra });
}
