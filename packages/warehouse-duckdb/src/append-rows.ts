import type { DuckDBAppender } from '@duckdb/node-api';
import type { ColumnDeclaration, ColumnType } from '@funnelcast/core';
import type { Db } from './connection.js';
import { sqlIdentifier } from './sql-text.js';

type Cell = string | number | null | undefined;

// DATE and TIMESTAMP go in as text: DuckDB casts ISO strings (with `Z`) on append, which keeps the JS side plain.
const APPEND: Readonly<Record<ColumnType, (appender: DuckDBAppender, value: string | number) => void>> = {
  STRING: (a, v) => a.appendVarchar(String(v)),
  DATE: (a, v) => a.appendVarchar(String(v)),
  TIMESTAMP: (a, v) => a.appendVarchar(String(v)),
  INT64: (a, v) => a.appendBigInt(BigInt(v)),
  FLOAT64: (a, v) => a.appendDouble(Number(v)),
};

/**
 * Appends rows to a table whose columns are `columns`, in declared order, with DuckDB's appender (the fast path
 * for hundreds of thousands of rows). Constraint violations surface when the appender flushes, before this
 * resolves, so a caller inside a transaction can roll the whole write back.
 */
export async function appendRows(
  db: Db,
  table: string,
  columns: readonly ColumnDeclaration[],
  rows: readonly Readonly<Record<string, Cell>>[],
): Promise<void> {
  const appender = await db.appender(table);
  try {
    for (const row of rows) {
      for (const column of columns) {
        const value = row[column.name];
        if (value === null || value === undefined) appender.appendNull();
        else APPEND[column.type](appender, value);
      }
      appender.endRow();
    }
    appender.flushSync();
  } finally {
    closeQuietly(appender);
  }
}

// After a failed flush the appender refuses to close with the flush's error, already thrown to the caller, whose
// transaction rollback discards whatever the appender had written.
function closeQuietly(appender: DuckDBAppender): void {
  try {
    appender.closeSync();
  } catch {
    return;
  }
}

/** Deletes the rows of `table` whose `column` equals `value`. */
export async function deleteWhere(db: Db, table: string, column: string, value: string): Promise<number> {
  return db.run(`DELETE FROM ${sqlIdentifier(table)} WHERE ${sqlIdentifier(column)} = $value`, { value });
}
