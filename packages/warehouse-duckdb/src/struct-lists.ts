import { DuckDBDoubleVector, DuckDBIntegerVector, DuckDBListVector, DuckDBStructVector, type DuckDBVector } from '@duckdb/node-api';

/**
 * A `LIST(STRUCT(...))` column of numbers in one result chunk, read straight from DuckDB's vectors: one aggregated
 * row can then carry thousands of numbers that cost an array read each, rather than the object per value that a
 * row conversion builds.
 */
export interface NumericStructList<K extends string> {
  /** Each struct field of every element of every row of the chunk, flat; a row's elements are a range of them. */
  readonly fields: Readonly<Record<K, readonly number[]>>;
  /** First position of row `row`'s elements in `fields` (inclusive). */
  start(row: number): number;
  /** End of row `row`'s elements in `fields` (exclusive). */
  end(row: number): number;
}

/**
 * The `LIST(STRUCT(...))` column `vector` whose struct fields are `names`, all DOUBLE or INTEGER and never NULL. The query must
 * not return a NULL list either (coalesce it to `[]`): a NULL row's offsets mean nothing.
 * @throws Error when the column is not a list of structs with exactly these fields or holds a NULL number (a query
 * and its reader disagree).
 */
export function numericStructList<K extends string>(vector: DuckDBVector, names: readonly K[]): NumericStructList<K> {
  const struct = vector instanceof DuckDBListVector ? vector.childVector : undefined;
  if (!(struct instanceof DuckDBStructVector) || struct.type.entryNames.join() !== names.join()) {
    throw new Error(`expected a LIST(STRUCT(${names.join(', ')})) column, got ${vector.type.toString()}`);
  }
  const list = vector as DuckDBListVector;
  const fields = Object.fromEntries(names.map((name, i) => [name, numbers(struct.entryVectorAt(i))])) as Record<K, number[]>;
  return { fields, start: (row) => list.getEntryOffset(row), end: (row) => list.getEntryOffset(row) + list.getEntryLength(row) };
}

function numbers(vector: DuckDBVector): number[] {
  // The vector types whose items are JS numbers; checked once per vector, then one builtin scan for NULLs, rather
  // than a check per element: these are the bulk of a history's values.
  if (!(vector instanceof DuckDBDoubleVector || vector instanceof DuckDBIntegerVector)) {
    throw new Error(`expected DOUBLE or INTEGER fields, got ${vector.type.toString()}`);
  }
  const values = vector.toArray();
  if (values.includes(null)) throw new Error(`expected numbers only, got a NULL in ${vector.type.toString()}`);
  return values as number[];
}

/** Item `index` of a numeric vector. @throws Error on NULL, which the caller's query rules out. */
export function numberAt(vector: DuckDBVector, index: number): number {
  const value = vector.getItem(index);
  if (typeof value !== 'number') throw new Error(`expected a number at ${index}, got ${String(value)}`);
  return value;
}

/** Item `index` of a VARCHAR vector. @throws Error on NULL, which the caller's query rules out. */
export function stringAt(vector: DuckDBVector, index: number): string {
  const value = vector.getItem(index);
  if (typeof value !== 'string') throw new Error(`expected a string at ${index}, got ${String(value)}`);
  return value;
}
