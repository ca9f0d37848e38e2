import { BACKING_TABLES, COLUMN_TYPES, PUBLISHED_VIEWS, type ColumnDeclaration } from '@funnelcast/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from './connection.js';
import { createTableSql, DUCKDB_TYPES, schemaStatements, TABLES } from './ddl.js';

interface Described {
  column_name: string;
  column_type: string;
  null: 'YES' | 'NO';
}

let database: Database;

beforeEach(async () => {
  database = await openDatabase(':memory:');
  await database.exclusive(async (db) => {
    for (const statement of schemaStatements()) await db.run(statement);
  });
});

afterEach(() => database.close());

const describeRelation = (name: string) =>
  database.exclusive((db) => db.all<Described>(`DESCRIBE ${JSON.stringify(name)}`));

const expected = (columns: readonly ColumnDeclaration[]) =>
  columns.map((c) => ({ column_name: c.name, column_type: DUCKDB_TYPES[c.type] }));

describe('DuckDB schema from core declarations', () => {
  it('has a DuckDB type for every column type', () => {
    expect(Object.keys(DUCKDB_TYPES).sort()).toEqual([...COLUMN_TYPES].sort());
  });

  it.each(TABLES.map((t) => [t.name, t] as const))('creates %s with every declared column, typed, and no other', async (name, table) => {
    const described = await describeRelation(name);
    expect(described.map(({ column_name, column_type }) => ({ column_name, column_type }))).toEqual(expected(table.columns));
    expect(described.map((c) => c.null === 'YES')).toEqual(table.columns.map((c) => c.nullable));
  });

  it.each(PUBLISHED_VIEWS.map((v) => [v.name, v] as const))('creates view %s with exactly its declared columns', async (name, view) => {
    const described = await describeRelation(name);
    expect(described.map(({ column_name, column_type }) => ({ column_name, column_type }))).toEqual(expected(view.columns));
  });

  it('backs each latest-run view with a table of the same columns', () => {
    for (const view of PUBLISHED_VIEWS.filter((v) => v.name in BACKING_TABLES)) {
      const table = TABLES.find((t) => t.name === BACKING_TABLES[view.name as keyof typeof BACKING_TABLES]);
      expect(table?.columns).toBe(view.columns);
    }
  });

  it('writes NOT NULL exactly where a column is not nullable', () => {
    const sql = createTableSql({
      name: 't',
      columns: [
        { name: 'a', type: 'INT64', nullable: false, label: 'a', description: 'a', role: 'measure', group: 'run' },
        { name: 'B', type: 'TIMESTAMP', nullable: true, label: 'b', description: 'b', role: 'dimension', group: 'run' },
      ],
    });
    expect(sql).toBe('CREATE TABLE IF NOT EXISTS "t" (\n  "a" BIGINT NOT NULL,\n  "B" TIMESTAMP\n)');
  });

  it('can run every statement again without error', async () => {
    await database.exclusive(async (db) => {
      for (const statement of schemaStatements()) await db.run(statement);
    });
    expect(await describeRelation('leads')).toHaveLength(7);
  });
});
