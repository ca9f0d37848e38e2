import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { TransientError, type LeadRow, type ProductionRow } from '@funnelcast/core';
import { mappingRows, productionRows, runRecord } from '@funnelcast/warehouse-conformance';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDuckDbWarehouse, type DuckDbWarehouse } from './index.js';

let dir: string;
let path: string;
let warehouse: DuckDbWarehouse;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'funnelcast-warehouse-'));
  path = join(dir, 'w.duckdb');
  warehouse = await createDuckDbWarehouse({ path, now: () => new Date('2024-03-01T06:30:00.000Z') });
});

afterEach(async () => {
  await warehouse.close();
  await rm(dir, { recursive: true, force: true });
});

const lead = (id: string, channel: string, source: string, mql: string, sql: string | null = null): LeadRow => ({
  lead_id: id,
  channel_grouping_name: channel,
  original_source: source,
  super_segment: 'Outbound',
  mql_date: mql,
  sql_date: sql,
  sqo_date: null,
});

async function query<T>(sql: string): Promise<T[]> {
  const instance = await DuckDBInstance.create(path);
  try {
    const connection = await instance.connect();
    const rows = (await connection.runAndReadAll(sql)).getRowObjectsJS() as T[];
    connection.closeSync();
    return rows;
  } finally {
    instance.closeSync();
  }
}

describe('DuckDB warehouse', () => {
  it('shows each published run beside the actuals of the days that have passed', async () => {
    await warehouse.insertLeads([
      lead('a', 'Paid Search', 'google', '2024-03-01'),
      lead('b', 'Paid Search', 'google', '2024-03-01', '2024-03-02'),
      lead('c', 'Web', 'organic', '2024-03-03'),
    ]);
    const record = runRecord('run-a', '2024-03-01', '2024-03-01T06:00:00.000Z');
    await warehouse.startRun(record);
    const rows = productionRows('run-a', '2024-03-01');
    await warehouse.publishRun(record, { rows, mapping: mappingRows('run-a', '2024-03-01'), selection: [] });
    await warehouse.startRun(runRecord('run-x', '2024-03-01', '2024-03-01T07:00:00.000Z'));
    // A refresh on 2024-03-04 recounts the actuals the view reads.
    await warehouse.refreshDailyActuals({ since: '2024-01-01', asOf: '2024-03-04' });
    await warehouse.close();

    const seen = await query<Record<string, unknown>>(`
      SELECT run_id, strftime(date_day, '%Y-%m-%d') AS day, "Channel_Grouping_Name" AS channel,
        CAST(horizon_day AS DOUBLE) AS horizon_day, mqls_forecast, sqls_upper_95,
        CAST(mqls_actual AS DOUBLE) AS mqls_actual, CAST(sqls_actual AS DOUBLE) AS sqls_actual
      FROM vw_forecast_vs_actual ORDER BY day, channel`);
    const forecast = (day: string, channel: string) =>
      rows.find((r) => r.date_day === day && r.Channel_Grouping_Name === channel) as ProductionRow;
    // 2024-03-03 is the last day with events: it may still be filling up, so only the two days before it count.
    expect(seen).toEqual([
      ['2024-03-01', 'Paid Search', 0, 2, 0],
      ['2024-03-01', 'Web', 0, 0, 0],
      ['2024-03-02', 'Paid Search', 1, 0, 1],
      ['2024-03-02', 'Web', 1, 0, 0],
    ].map(([day, channel, horizon, mqls, sqls]) => ({
      run_id: 'run-a',
      day,
      channel,
      horizon_day: horizon,
      mqls_forecast: forecast(day as string, channel as string).mqls_forecast,
      sqls_upper_95: forecast(day as string, channel as string).sqls_upper_95,
      mqls_actual: mqls,
      sqls_actual: sqls,
    })));
    warehouse = await createDuckDbWarehouse({ path });
  });

  it('stamps published_at from its clock, after any earlier publish', async () => {
    for (const id of ['run-a', 'run-b']) {
      const record = runRecord(id, '2024-03-01', '2024-03-01T06:00:00.000Z');
      await warehouse.startRun(record);
      await warehouse.publishRun(record, { rows: productionRows(id, '2024-03-01'), mapping: [], selection: [] });
    }
    const runs = await warehouse.listRuns();
    expect(runs.map((r) => [r.run_id, r.published_at])).toEqual([
      ['run-b', '2024-03-01T06:30:00.001Z'],
      ['run-a', '2024-03-01T06:30:00.000Z'],
    ]);
    expect(new Set((await warehouse.readPublished()).map((r) => r.run_id))).toEqual(new Set(['run-b']));
  });

  it('publishes tens of thousands of rows in one step', async () => {
    const record = runRecord('big', '2024-03-01', '2024-03-01T06:00:00.000Z');
    const template = productionRows('big', '2024-03-01', 90);
    const rows = Array.from({ length: 100 }, (_, i) =>
      template.map((r) => ({ ...r, Original_source: `${r.Original_source}-${i}` })),
    ).flat();
    await warehouse.startRun(record);
    await warehouse.publishRun(record, { rows, mapping: [], selection: [] });
    const published = await warehouse.readPublished({ channel: 'Web', from: '2024-03-10', to: '2024-03-10' });
    expect(published).toHaveLength(100);
    expect((await warehouse.listRuns())[0]?.row_count).toBe(rows.length);
  });

  it('shares one file between warehouses of the same process, each closing on its own', async () => {
    const second = await createDuckDbWarehouse({ path });
    const record = runRecord('run-a', '2024-03-01', '2024-03-01T06:00:00.000Z');
    await warehouse.startRun(record);
    const rows = productionRows('run-a', '2024-03-01');
    await warehouse.publishRun(record, { rows, mapping: [], selection: [] });
    await warehouse.close();
    expect(await second.readPublished()).toHaveLength(rows.length);
    await second.close();
    warehouse = await createDuckDbWarehouse({ path });
    expect((await warehouse.listRuns()).map((r) => r.status)).toEqual(['published']);
  });

  it('reports a file held by another process as a transient fault', async () => {
    await warehouse.close();
    const holder = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { DuckDBInstance } from '@duckdb/node-api';
         const instance = await DuckDBInstance.create(${JSON.stringify(path)});
         console.log('ready');
         process.stdin.on('end', () => { instance.closeSync(); process.exit(0); });
         process.stdin.resume();`,
      ],
      { cwd: fileURLToPath(new URL('..', import.meta.url)), stdio: ['pipe', 'pipe', 'inherit'] },
    );
    try {
      const [chunk] = (await once(holder.stdout, 'data')) as [Buffer];
      expect(chunk.toString()).toContain('ready');
      const opening = createDuckDbWarehouse({ path });
      await expect(opening).rejects.toBeInstanceOf(TransientError);
      await expect(opening).rejects.toThrow(`database ${path} is in use by another process`);
    } finally {
      holder.stdin.end();
      await once(holder, 'exit');
    }
    warehouse = await createDuckDbWarehouse({ path });
    expect(await warehouse.describeData()).toBeNull();
  });
});
