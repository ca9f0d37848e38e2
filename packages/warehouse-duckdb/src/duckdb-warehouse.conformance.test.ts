import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeWarehouseConformance } from '@funnelcast/warehouse-conformance';
import { createDuckDbWarehouse, type DuckDbWarehouse } from './index.js';

let dir: string | undefined;

describeWarehouseConformance('duckdb', {
  async open() {
    dir = await mkdtemp(join(tmpdir(), 'funnelcast-duckdb-'));
    return createDuckDbWarehouse({ path: join(dir, 'warehouse.duckdb') });
  },
  async loadLeads(warehouse, leads) {
    await (warehouse as DuckDbWarehouse).insertLeads(leads);
  },
  async cleanup() {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  },
});
