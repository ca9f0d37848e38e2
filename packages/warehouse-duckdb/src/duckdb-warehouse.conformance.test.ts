import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { Warehouse } from '@funnelcast/core';
import { describeWarehouseConformance } from '@funnelcast/warehouse-conformance';
import { createDuckDbWarehouse, type DuckDbWarehouse } from './index.js';

let dir: string | undefined;
const file = () => join(dir ?? '', 'warehouse.duckdb');

// The file is the open warehouse's alone: close it, run `sql` on the file directly, and return the result's rows.
async function behindTheBack(warehouse: Warehouse, sql: string): Promise<unknown[][]> {
  await warehouse.close();
  const instance = await DuckDBInstance.create(file());
  try {
    const connection = await instance.connect();
    const rows = (await connection.runAndReadAll(sql)).getRows();
    connection.closeSync();
    return rows;
  } finally {
    instance.closeSync();
  }
}

describeWarehouseConformance('duckdb', {
  async open() {
    dir = await mkdtemp(join(tmpdir(), 'funnelcast-duckdb-'));
    return createDuckDbWarehouse({ path: file() });
  },
  async loadLeads(warehouse, leads) {
    await (warehouse as DuckDbWarehouse).insertLeads(leads);
  },
  // The warehouse brings its schema up to date when it opens: close it, drop the column, open it again.
  async dropColumn(warehouse, table, column) {
    await behindTheBack(warehouse, `ALTER TABLE "${table}" DROP COLUMN "${column}"`);
    return createDuckDbWarehouse({ path: file() });
  },
  async runIdsIn(warehouse, table) {
    const rows = await behindTheBack(warehouse, `SELECT DISTINCT run_id FROM "${table}" ORDER BY run_id`);
    return { runIds: rows.map(([id]) => String(id)), warehouse: await createDuckDbWarehouse({ path: file() }) };
  },
  async cleanup() {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  },
});
