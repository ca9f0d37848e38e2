import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { numericStructList } from './struct-lists.js';

let instance: DuckDBInstance;
beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
});
afterAll(() => instance.closeSync());

async function firstChunk(sql: string) {
  const connection = await instance.connect();
  try {
    const [chunk] = await (await connection.run(sql)).fetchAllChunks();
    return chunk!;
  } finally {
    connection.closeSync();
  }
}

describe('numericStructList', () => {
  it("reads each row's elements as ranges of flat numeric fields", async () => {
    const chunk = await firstChunk(`
      SELECT CAST(l AS STRUCT(a INTEGER, b DOUBLE)[]) AS l
      FROM (VALUES ([{a: 1, b: 0.5}, {a: 2, b: 1.5}]), ([]), ([{a: 3, b: 2.5}])) AS t(l)`);
    const list = numericStructList(chunk.getColumnVector(0), ['a', 'b']);
    const rows = [0, 1, 2].map((row) => {
      const out: [number, number][] = [];
      for (let i = list.start(row); i < list.end(row); i++) out.push([list.fields.a[i]!, list.fields.b[i]!]);
      return out;
    });
    expect(rows).toEqual([[[1, 0.5], [2, 1.5]], [], [[3, 2.5]]]);
  });

  it('refuses a column that is not a list of structs with exactly those numeric fields, or holds a NULL', async () => {
    const chunk = await firstChunk(`SELECT [{a: 1, b: 2}] AS l, 7 AS n, CAST([{a: NULL, b: 2}] AS STRUCT(a INTEGER, b INTEGER)[]) AS holey, [{a: 1.5, b: 2}] AS decimal`);
    expect(() => numericStructList(chunk.getColumnVector(0), ['b', 'a'])).toThrow(/LIST\(STRUCT\(b, a\)\)/);
    expect(() => numericStructList(chunk.getColumnVector(1), ['a', 'b'])).toThrow(/LIST\(STRUCT/);
    expect(() => numericStructList(chunk.getColumnVector(2), ['a', 'b'])).toThrow(/got a NULL/);
    expect(() => numericStructList(chunk.getColumnVector(3), ['a', 'b'])).toThrow(/DOUBLE or INTEGER/);
  });
});
