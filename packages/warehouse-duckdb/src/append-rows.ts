import {
  BOOLEAN,
  DATE,
  DOUBLE,
  DuckDBDataChunk,
  DuckDBTypeId,
  ENUM,
  VARCHAR,
  type DuckDBAppender,
  type DuckDBEnumType,
  type DuckDBType,
} from '@duckdb/node-api';
import duckdb from '@duckdb/node-bindings';
import { toDayNumber, type ColumnDeclaration, type ColumnType } from '@funnelcast/core';
import type { Db } from './connection.js';
import { sqlIdentifier } from './sql-text.js';

type Cell = string | number | boolean | null | undefined;

/** One column of a data chunk being filled: its cells in a plain buffer, copied into DuckDB's vector at once. */
interface ColumnBuffer {
  /** The chunk column's type, asked once per chunk after its cells are put and before they are copied. */
  chunkType(): DuckDBType;
  /** Stores a non-null cell at `row` of the chunk. */
  put(row: number, value: string | number | boolean): void;
  /** Copies the first `rows` cells into `vector` and starts the next chunk; null cells are left to the validity mask. */
  copy(vector: duckdb.Vector, rows: number): void;
}

// DuckDB's vectors hold this many rows: a write appends a chunk of them at a time.
const CHUNK_ROWS = duckdb.vector_size();

class Float64Buffer implements ColumnBuffer {
  private readonly items = new Float64Array(CHUNK_ROWS);
  constructor(private readonly convert: (value: string | number | boolean) => number) {}
  chunkType(): DuckDBType {
    return DOUBLE;
  }
  put(row: number, value: string | number | boolean): void {
    this.items[row] = this.convert(value);
  }
  copy(vector: duckdb.Vector, rows: number): void {
    duckdb.copy_data_to_vector(vector, 0, this.items.buffer, 0, rows * Float64Array.BYTES_PER_ELEMENT);
  }
}

// A DATE is stored as its day number, worked out once per distinct ISO date of a write: a table of 10^5 rows repeats a
// few hundred dates.
class DateBuffer implements ColumnBuffer {
  private readonly items = new Int32Array(CHUNK_ROWS);
  private readonly days = new Map<string, number>();
  chunkType(): DuckDBType {
    return DATE;
  }
  put(row: number, value: string | number | boolean): void {
    const date = String(value);
    let day = this.days.get(date);
    if (day === undefined) this.days.set(date, (day = toDayNumber(date)));
    this.items[row] = day;
  }
  copy(vector: duckdb.Vector, rows: number): void {
    duckdb.copy_data_to_vector(vector, 0, this.items.buffer, 0, rows * Int32Array.BYTES_PER_ELEMENT);
  }
}

class BoolBuffer implements ColumnBuffer {
  private readonly items = new Uint8Array(CHUNK_ROWS);
  chunkType(): DuckDBType {
    return BOOLEAN;
  }
  put(row: number, value: string | number | boolean): void {
    this.items[row] = trueOrFalse(value) ? 1 : 0;
  }
  copy(vector: duckdb.Vector, rows: number): void {
    duckdb.copy_data_to_vector(vector, 0, this.items.buffer, 0, rows);
  }
}

// Text goes in dictionary-coded: the distinct strings become an ENUM type, each cell its code, and the appender casts
// the codes back to text. A write repeats most of its strings (a run id, model names, the combinations of every day),
// and handing DuckDB each distinct one once costs far less than a call per cell. The dictionary carries over from chunk
// to chunk, so once it stops growing the chunk types stay the same and one chunk serves every write. Text that hardly
// repeats (ids) would only grow it: a chunk that adds more than half a chunk of new strings goes in as plain text,
// a call per cell, and the dictionary starts over.
class TextBuffer implements ColumnBuffer {
  // -1 marks a null cell, whose code is never read.
  private readonly codes = new Int32Array(CHUNK_ROWS).fill(-1);
  private readonly dictionary = new Map<string, number>();
  private sizeBeforeChunk = 0;
  private enumType: DuckDBEnumType | undefined;
  chunkType(): DuckDBType {
    const size = this.dictionary.size;
    // A column whose cells have all been null has no dictionary, and DuckDB wants an ENUM to have a value.
    if (size === 0 || size - this.sizeBeforeChunk > CHUNK_ROWS / 2) {
      this.enumType = undefined;
      return VARCHAR;
    }
    // The dictionary only grows, so the same size is the same type.
    if (this.enumType?.values.length !== size) this.enumType = ENUM([...this.dictionary.keys()]);
    return this.enumType;
  }
  put(row: number, value: string | number | boolean): void {
    const text = typeof value === 'string' ? value : String(value);
    let code = this.dictionary.get(text);
    if (code === undefined) this.dictionary.set(text, (code = this.dictionary.size));
    this.codes[row] = code;
  }
  copy(vector: duckdb.Vector, rows: number): void {
    const codes = this.codes.subarray(0, rows);
    if (this.enumType?.internalTypeId === DuckDBTypeId.UTINYINT) {
      duckdb.copy_data_to_vector(vector, 0, Uint8Array.from(codes).buffer, 0, rows);
    } else if (this.enumType) {
      duckdb.copy_data_to_vector(vector, 0, Uint16Array.from(codes).buffer, 0, rows * Uint16Array.BYTES_PER_ELEMENT);
    } else {
      const texts = [...this.dictionary.keys()];
      for (let row = 0; row < rows; row++) if (codes[row]! >= 0) duckdb.vector_assign_string_element(vector, row, texts[codes[row]!]!);
    }
    codes.fill(-1);
    // Past a chunk's worth of strings (or after plain text) the dictionary starts over, so it stays small and every
    // code fits in 16 bits.
    if (!this.enumType || this.dictionary.size > CHUNK_ROWS) {
      this.dictionary.clear();
      this.enumType = undefined;
    }
    this.sizeBeforeChunk = this.dictionary.size;
  }
}

// The chunk type of each column type, where the appender casts a chunk column to its table column's type. A TIMESTAMP
// goes in as text (DuckDB casts ISO strings, with `Z`). INT64 goes in as a DOUBLE once checked to be a whole number
// (cast to the column's BIGINT): exact up to 2^53, and no BigInt to allocate per cell. Each write gets fresh buffers,
// so the date cache lives no longer than the write.
const BUFFER: Readonly<Record<ColumnType, () => ColumnBuffer>> = {
  STRING: () => new TextBuffer(),
  DATE: () => new DateBuffer(),
  TIMESTAMP: () => new TextBuffer(),
  INT64: () => new Float64Buffer(wholeNumber),
  FLOAT64: () => new Float64Buffer((v) => (typeof v === 'number' ? v : Number(v))),
  BOOL: () => new BoolBuffer(),
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

// A validity mask is 64-bit words whose bit i marks row i valid; filled a byte at a time, which is that layout on the
// little-endian machines DuckDB's Node binding is built for.
const VALIDITY_BYTES = CHUNK_ROWS / 8;

/**
 * A row's cells in the order of its table's declared columns. They are read before the next row's are asked for, so
 * one array can serve every row of a write.
 */
type RowCells<R> = (row: R) => readonly Cell[];

/**
 * Appends rows to a table whose columns are `columns`, in declared order, a data chunk of {@link CHUNK_ROWS} rows at a
 * time: cells go into typed arrays and reach DuckDB in one copy per column, instead of one call per cell through the
 * appender or the client's vector objects (whose validity bits cost a BigInt each). `cells` reads a row's values in
 * column order; by default they are looked up by column name, which a caller with a large table replaces with plain
 * property reads. Constraint violations surface when a chunk is appended or the appender flushes, before this
 * resolves, so a caller inside a transaction can roll the whole write back.
 */
export async function appendRows<R extends Readonly<Record<string, Cell>>>(
  db: Db,
  table: string,
  columns: readonly ColumnDeclaration[],
  rows: readonly R[],
  cells: RowCells<R> = cellsByName(columns),
): Promise<void> {
  const appender = await db.appender(table);
  try {
    const buffers = columns.map((column) => BUFFER[column.type]());
    const validity = buffers.map(() => new Uint8Array(VALIDITY_BYTES));
    let chunk: TypedChunk | undefined;
    for (let start = 0; start < rows.length; start += CHUNK_ROWS) {
      const count = Math.min(CHUNK_ROWS, rows.length - start);
      for (const mask of validity) mask.fill(0xff);
      for (let row = 0; row < count; row++) {
        const values = cells(rows[start + row]!);
        for (let i = 0; i < buffers.length; i++) {
          const value = values[i];
          if (value === null || value === undefined) validity[i]![row >> 3]! &= ~(1 << (row & 7));
          else buffers[i]!.put(row, value);
        }
      }
      chunk = filledChunk(chunk, buffers, validity, count);
      appender.appendDataChunk(chunk.chunk);
    }
    appender.flushSync();
  } finally {
    closeQuietly(appender);
  }
}

function cellsByName<R extends Readonly<Record<string, Cell>>>(columns: readonly ColumnDeclaration[]): RowCells<R> {
  const values = new Array<Cell>(columns.length);
  return (row) => {
    for (let i = 0; i < columns.length; i++) values[i] = row[columns[i]!.name];
    return values;
  };
}

/** A data chunk and the column types it was made with. */
interface TypedChunk {
  readonly chunk: DuckDBDataChunk;
  readonly types: readonly DuckDBType[];
}

// The appender copies a chunk's cells, so the last chunk is refilled when its column types still fit: a fresh chunk
// per 2048 rows cost more in allocating and first touching its memory than in filling it.
function filledChunk(
  last: TypedChunk | undefined,
  buffers: readonly ColumnBuffer[],
  validity: readonly Uint8Array<ArrayBuffer>[],
  rows: number,
): TypedChunk {
  const types = buffers.map((buffer) => buffer.chunkType());
  let next: TypedChunk;
  if (last && types.every((type, i) => type === last.types[i])) {
    last.chunk.reset();
    last.chunk.rowCount = rows;
    next = last;
  } else {
    next = { chunk: DuckDBDataChunk.create(types, rows), types };
  }
  for (let i = 0; i < buffers.length; i++) {
    const vector = duckdb.data_chunk_get_vector(next.chunk.chunk, i);
    buffers[i]!.copy(vector, rows);
    duckdb.vector_ensure_validity_writable(vector);
    duckdb.copy_data_to_vector_validity(vector, 0, validity[i]!.buffer, 0, Math.ceil(rows / 64) * 8);
  }
  return next;
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
