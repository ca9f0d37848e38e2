import { describeWarehouseConformance } from '@funnelcast/warehouse-conformance';
import type { FakeBigQuery } from './testing/fake-bigquery.js';
import { openFakeWarehouse } from './testing/open-fake-warehouse.js';

let fake: FakeBigQuery | undefined;

const sqlText = (value: string | null) => (value === null ? 'NULL' : `'${value.replace(/'/g, "''")}'`);

// The real client against the local fake endpoint: every statement the suite triggers runs in DuckDB.
describeWarehouseConformance('bigquery (local fake endpoint)', {
  async open() {
    const opened = await openFakeWarehouse();
    fake = opened.fake;
    return opened.warehouse;
  },
  async loadLeads(_warehouse, leads) {
    const values = leads.map(
      (l) =>
        `(${[l.lead_id, l.channel_grouping_name, l.original_source, l.super_segment].map(sqlText).join(', ')}, ` +
        `${[l.mql_date, l.sql_date, l.sqo_date].map((d) => (d === null ? 'NULL' : `DATE ${sqlText(d)}`)).join(', ')})`,
    );
    await fake?.exec(`INSERT INTO "fc"."leads" VALUES ${values.join(', ')}`);
  },
  async dropColumn(warehouse, table, column) {
    await fake?.exec(`ALTER TABLE "fc"."${table}" DROP COLUMN "${column}"`);
    return warehouse;
  },
  async runIdsIn(warehouse, table) {
    const rows = (await fake?.exec(`SELECT DISTINCT run_id FROM "fc"."${table}" ORDER BY run_id`)) ?? [];
    return { runIds: rows.map((r) => String(r.run_id)), warehouse };
  },
  async cleanup() {
    await fake?.close();
    fake = undefined;
  },
});
