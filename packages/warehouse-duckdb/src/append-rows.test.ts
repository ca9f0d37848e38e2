import type { ColumnDeclaration, ColumnType } from '@funnelcast/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendRows } from './append-rows.js';
import { openDatabase, type Database } from './connection.js';
import { createTableSql } from './ddl.js';

const column = (name: string, type: ColumnType, nullable = true) =>
  ({ name, type, nullable, label: name, description: name, role: 'dimension', group: 'run' }) satisfies ColumnDeclaration;

const COLUMNS = [
  column('id', 'INT64', false),
  column('label', 'STRING'),
  column('kind', 'STRING', false),
  column('day', 'DATE'),
  column('at', 'TIMESTAMP'),
  column('x', 'FLOAT64'),
  column('flag', 'BOOL'),
];

type Row = Record<string, string | number | boolean | null>;

// Three chunks and a part: the first chunk's labels are all NULL, the second's are 300 distinct strings (past a
// one-byte code) with a few NULLs, the later ones a handful; every other column has NULLs at scattered rows.
function rowAt(i: number): Row {
  return {
    id: i,
    label: i < 2048 ? null : i % 7 === 0 ? null : i < 4096 ? `label ${i % 300} ${'é'.repeat(i % 20)}` : `few ${i % 3}`,
    kind: i % 2 === 0 ? 'even' : 'odd',
    day: i % 5 === 0 ? null : `2025-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`,
    at: i % 11 === 0 ? null : `2026-12-07T00:${String(i % 60).padStart(2, '0')}:09.749Z`,
    x: i % 3 === 0 ? null : i / 7,
    flag: i % 13 === 0 ? null : i % 2 === 0,
  };
}

let database: Database;

beforeEach(async () => {
  database = await openDatabase(':memory:');
  await database.exclusive((db) => db.run(createTableSql({ name: 't', columns: COLUMNS })));
});

afterEach(async () => {
  await database.close();
});

const readBack = () =>
  database.exclusive((db) =>
    db.all<Row>(`
      SELECT CAST(id AS DOUBLE) AS id, label, kind, strftime(day, '%Y-%m-%d') AS day,
        strftime("at", '%Y-%m-%dT%H:%M:%S.%gZ') AS "at", x, flag
      FROM t ORDER BY id`),
  );

describe('appendRows', () => {
  it('stores every cell as given, NULLs included, across chunks and text dictionaries of any size', async () => {
    const rows = Array.from({ length: 7000 }, (_, i) => rowAt(i));
    await database.exclusive((db) => appendRows(db, 't', COLUMNS, rows));
    expect(await readBack()).toEqual(rows);
  });

  // Text seen once goes in cell by cell; text seen twice grows the dictionary half a chunk a chunk until it starts over.
  it.each([
    ['never repeats', (i: number) => `lead ${i}`],
    ['repeats once', (i: number) => `lead ${i >> 1}`],
  ])('stores text that %s, across chunks', async (_, label) => {
    const rows = Array.from({ length: 9000 }, (_, i) => ({ ...rowAt(i), label: label(i) }));
    await database.exclusive((db) => appendRows(db, 't', COLUMNS, rows));
    expect(await readBack()).toEqual(rows);
  });

  it('reads the cells with the given function, in declared column order', async () => {
    const rows = [rowAt(1), rowAt(2)];
    await database.exclusive((db) => appendRows(db, 't', COLUMNS, rows, (row) => COLUMNS.map((c) => (c.name === 'kind' ? 'given' : row[c.name]))));
    expect(await readBack()).toEqual(rows.map((row) => ({ ...row, kind: 'given' })));
  });

  it('refuses a NULL in a NOT NULL column, and the transaction writes nothing', async () => {
    const rows = [...Array.from({ length: 3000 }, (_, i) => rowAt(i)), { ...rowAt(3000), kind: null }];
    await expect(database.exclusive((db) => db.transaction(() => appendRows(db, 't', COLUMNS, rows)))).rejects.toThrow(/NOT NULL/);
    expect(await readBack()).toEqual([]);
  });

  it('refuses a fraction in an INT64 column', async () => {
    await expect(database.exclusive((db) => appendRows(db, 't', COLUMNS, [{ ...rowAt(1), id: 1.5 }]))).rejects.toThrow(/not a whole number/);
  });
});
