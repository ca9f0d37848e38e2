import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describeWarehouseConformance } from '@funnelcast/warehouse-conformance';
import { createDuckDbWarehouse, type DuckDbWarehouse } from './index.js';

let dir: string | undefined;
const file = () => join(dir ?? '', 'warehouse.duckdb');

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
    await warehouse.close();
    const instance = await DuckDBInstance.create(file());
    try {
      const connection = await instance.connect();
      await connection.run(`ALTER TABLE "${table}" DROP COLUMN "${column}"`);
      connection.closeSync();
    } finally {
      instance.closeSync();
    }
    return createDuckDbWarehouse({ path: file() });
  },
  async cleanup() {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  },
});
