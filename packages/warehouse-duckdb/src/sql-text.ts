/** Quoting for SQL text that DuckDB cannot take as a bound parameter (table-function arguments, DDL, literals). */

/** A single-quoted SQL string literal. */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** A double-quoted identifier, so mixed-case names such as `Channel_Grouping_Name` keep their spelling. */
export function sqlIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
