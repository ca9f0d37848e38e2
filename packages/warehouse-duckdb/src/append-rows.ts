import { DuckDBDateValue, type DuckDBAppender } from '@duckdb/node-api';
import { toDayNumber, type ColumnDeclaration, type ColumnType } from '@funnelcast/core';
import type { Db } from './connection.js';
import { sqlIdentifier } from './sql-text.js';

type Cell = string | number | boolean | null | undefined;

type AppendCell = (appender: DuckDBAppender, value: string | number | boolean) => void;

// How each type is appended. A DATE goes in as its day number, worked out once per distinct ISO date of a write: a
// table of 10^5 rows repeats a few hundred dates, and as text DuckDB would parse every cell. A TIMESTAMP goes in as
// text (DuckDB casts ISO strings, with `Z`). INT64 goes in as a DOUBLE once checked to be a whole number (the
// appender casts it to the column's BIGINT): exact up to 2^53, and no BigInt to allocate per cell. Each write gets
// fresh appenders, so a cache lives no longer than the write.
const APPEND: Readonly<Record<ColumnType, () => AppendCell>> = {
  STRING: () => (a, v) => a.appendVarchar(typeof v === 'string' ? v : String(v)),
  DATE: () => {
    const days = new Map<string, DuckDBDateValue>();
    return (a, v) => {
      const date = String(v);
      let day = days.get(date);
      if (!day) days.set(date, (day = new DuckDBDateValue(toDayNumber(date))));
      a.appendDate(day);
    };
  },
  TIMESTAMP: () => (a, v) => a.appendVarchar(typeof v === 'string' ? v : String(v)),
  INT64: () => (a, v) => a.appendDouble(wholeNumber(v)),
  FLOAT64: () => (a, v) => a.appendDouble(typeof v === 'number' ? v : Number(v)),
  BOOL: () => (a, v) => a.appendBoolean(trueOrFalse(v)),
};

function wholeNumber(v: string | number | boolean): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new RangeError(`${JSON.stringify(v)} is not a whole number for an INT64 column`);
  return n;
}

function trueOrFalse(v: string | number | boolean): boolean {
  if (typeof v !== 'boolean') throw new TypeError(`${JSON.stringify(v)} is not true or false for a BOOL column`);
  return v;
}

/** A row's cells in the order of its table's declared columns. */
type RowCells<R> = (row: R) => readonly Cell[];

/**
 * Appends rows to a table whose columns are `columns`, in declared order, with DuckDB's appender, value by value.
 * (Filling data chunks through the client's vector objects was measured too: its JS work per cell made it slower at
 * a refresh's 10^4 rows and only ~15% faster at 1.5·10^5.) `cells` reads a row's values in column order; by
 * default they are looked up by column name, which a caller with a large table replaces with plain property reads.
 * Constraint violations surface when the appender flushes, before this resolves, so a caller inside a transaction
 * can roll the whole write back.
 */
export async function appendRows<R extends Readonly<Record<string, Cell>>>(
  db: Db,
  table: string,
  columns: readonly ColumnDeclaration[],
  rows: readonly R[],
  cells: RowCells<R> = (row) => columns.map((column) => row[column.name]),
): Promise<void> {
  const appender = await db.appender(table);
  try {
    const appenders = columns.map((column) => APPEND[column.type]());
    for (const row of rows) {
      const values = cells(row);
      for (let i = 0; i < appenders.length; i++) {
        const value = values[i];
        if (value === null || value === undefined) appender.appendNull();
        else appenders[i]!(appender, value);
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
