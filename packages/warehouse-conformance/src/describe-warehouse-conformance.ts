import { FORECAST_RUNS, warningsJson, type LeadRow, type ModelSelectionRow, type ProductionRow, type Warehouse } from '@funnelcast/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  EXPECTED_HISTORY,
  HISTORY_REQUEST,
  LEADS,
  mappingRows,
  productionRows,
  recountMqlToSql,
  runRecord,
  selectionRows,
  SIMULATED_LEADS,
  SIMULATED_REQUEST,
  sortHistory,
} from './fixtures.js';

/** How the suite gets a warehouse of the implementation under test. */
export interface WarehouseConformanceSetup {
  /** A fresh, empty warehouse for one test (a new file, dataset or fake endpoint state). */
  open(): Promise<Warehouse>;
  /** Loads leads into it, the way that implementation takes them. */
  loadLeads(warehouse: Warehouse, leads: readonly LeadRow[]): Promise<void>;
  /**
   * Drops a column behind the warehouse's back, leaving the table as an earlier version of funnelcast created it, and
   * returns the warehouse to go on with (reopened, if the implementation brings its schema up to date on open).
   */
  dropColumn(warehouse: Warehouse, table: string, column: string): Promise<Warehouse>;
  /**
   * The distinct `run_id`s a table holds, read behind the warehouse's back (to see that retention leaves no orphan
   * rows), and the warehouse to go on with (reopened, if reading needed it closed).
   */
  runIdsIn(warehouse: Warehouse, table: string): Promise<{ runIds: string[]; warehouse: Warehouse }>;
  /** Releases what `open` created, after the warehouse is closed. */
  cleanup?(): Promise<void>;
}

const byGrainAndDate = (a: ProductionRow, b: ProductionRow) =>
  a.date_day.localeCompare(b.date_day) ||
  a.Channel_Grouping_Name.localeCompare(b.Channel_Grouping_Name) ||
  a.Original_source.localeCompare(b.Original_source);

/**
 * Declares the conformance suite for one {@link Warehouse} implementation: the behaviour the pipeline relies on,
 * written once. Call it at the top level of a test file.
 */
export function describeWarehouseConformance(name: string, setup: WarehouseConformanceSetup): void {
  describe(`Warehouse conformance: ${name}`, () => {
    let warehouse: Warehouse;

    beforeEach(async () => {
      warehouse = await setup.open();
      await warehouse.ensureSchema();
    });

    afterEach(async () => {
      await warehouse.close();
      await setup.cleanup?.();
    });

    const publish = async (runId: string, asOf: string, startedAt: string, scale = 1, selection: readonly ModelSelectionRow[] = [], horizon = 3) => {
      const record = runRecord(runId, asOf, startedAt);
      await warehouse.startRun(record);
      const rows = productionRows(runId, asOf, horizon, scale);
      await warehouse.publishRun(record, { rows, mapping: mappingRows(runId, asOf), selection });
      return rows.sort(byGrainAndDate);
    };

    it('ensureSchema is idempotent and keeps data', async () => {
      await setup.loadLeads(warehouse, LEADS);
      await warehouse.ensureSchema();
      await warehouse.ensureSchema();
      expect((await warehouse.describeData())?.leads).toBe(LEADS.length);
    });

    it('describes an empty warehouse as null', async () => {
      expect(await warehouse.describeData()).toBeNull();
      expect(await warehouse.readPublished()).toEqual([]);
      expect(await warehouse.readMapping()).toEqual([]);
      expect(await warehouse.readModelSelection()).toEqual([]);
      expect(await warehouse.listRuns()).toEqual([]);
    });

    it('describes loaded leads', async () => {
      await setup.loadLeads(warehouse, LEADS);
      expect(await warehouse.describeData()).toEqual({
        leads: 7,
        firstDate: '2023-12-01',
        lastDate: '2024-03-02',
        superSegments: ['Inbound_Marketing', 'Outbound'],
        combinations: 3,
      });
    });

    it('aggregates history before the as-of date: daily counts, spans, cohorts, lags, open SQLs', async () => {
      await setup.loadLeads(warehouse, LEADS);
      const history = await warehouse.readHistory(HISTORY_REQUEST);
      expect(sortHistory(history)).toEqual(EXPECTED_HISTORY);
    });

    it('moves the window with the as-of date', async () => {
      await setup.loadLeads(warehouse, LEADS);
      const history = await warehouse.readHistory({
        asOf: '2024-02-04',
        since: '2024-02-01',
        conversion: {
          cohortStart: '2024-01-01',
          cohortEnd: '2024-02-04',
          maxLagDays: 5,
          mqlToSql: { cohortStart: '2024-01-01', cohortEnd: '2024-02-04', maxLagDays: 5, lookBackDays: 30 },
        },
      });
      const sorted = sortHistory(history);
      expect(sorted.daily).toEqual([
        { date: '2024-02-01', superSegment: 'Outbound', channel: 'Paid Search', source: 'google', mqls: 2, sqls: 0, sqos: 0 },
        { date: '2024-02-03', superSegment: 'Outbound', channel: 'Paid Search', source: 'google', mqls: 0, sqls: 1, sqos: 0 },
      ]);
      // L1's SQO (02-10) has not happened at 02-04, and its 7-day lag lies beyond maxLagDays anyway.
      expect(sorted.conversion?.lagCounts).toEqual([1, 0, 0, 0, 0, 0]);
      expect(sorted.conversion?.openSqls).toEqual([
        { superSegment: 'Outbound', channel: 'Paid Search', source: 'google', ageDays: 1, count: 1 },
      ]);
      // L2's SQL (02-05) has not happened at 02-04: its MQL is open at age 3, and its lag is not counted yet.
      expect(sorted.conversion?.mqlToSql).toEqual({
        byAge: [
          { superSegment: 'Outbound', channel: 'Events', source: 'expo', ageDays: 20, mqls: 1, sqls: 1 },
          { superSegment: 'Outbound', channel: 'Paid Search', source: 'google', ageDays: 3, mqls: 2, sqls: 1 },
        ],
        lagCounts: [0, 0, 1, 0, 0, 1],
        laterSqls: 0,
      });
      expect(sorted.spans.map((s) => [s.channel, s.firstDate, s.lastDate])).toEqual([
        ['Events', '2024-01-15', '2024-01-20'],
        ['Paid Search', '2023-12-01', '2024-02-03'],
      ]);
    });

    it('counts MQL→SQL facts as a lead-by-lead recount does: MQLs by age, matured lags, later converters', async () => {
      await setup.loadLeads(warehouse, SIMULATED_LEADS);
      const expected = recountMqlToSql(SIMULATED_LEADS, SIMULATED_REQUEST);
      // The fixture reaches every case: open and converted MQLs, lags up to the longest and beyond it.
      expect(expected.laterSqls).toBeGreaterThan(0);
      expect(expected.byAge.some((row) => row.sqls < row.mqls) && expected.byAge.some((row) => row.sqls > 0)).toBe(true);
      const history = sortHistory(await warehouse.readHistory(SIMULATED_REQUEST));
      expect(history.conversion?.mqlToSql).toEqual(expected);
    });

    it('publishes a run and reads rows and mapping back exactly', async () => {
      const rows = await publish('run-a', '2024-03-01', '2024-03-01T06:00:00.000Z');
      expect(await warehouse.readPublished()).toEqual(rows);
      expect(await warehouse.readMapping()).toEqual(mappingRows('run-a', '2024-03-01'));
      expect(await warehouse.readMapping({ superSegment: 'Outbound' })).toHaveLength(2);
      expect(await warehouse.readPublished({ channel: 'Web', from: '2024-03-02', to: '2024-03-03' })).toEqual(
        rows.filter((r) => r.Channel_Grouping_Name === 'Web' && r.date_day >= '2024-03-02'),
      );
      const [run] = await warehouse.listRuns();
      expect(run).toMatchObject({ run_id: 'run-a', status: 'published', row_count: rows.length, mapping_row_count: 3 });
      expect(run?.published_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
    });

    it('replaces the rows of a republished run id instead of duplicating them', async () => {
      await publish('run-a', '2024-03-01', '2024-03-01T06:00:00.000Z');
      const second = await publish('run-a', '2024-03-01', '2024-03-01T07:00:00.000Z', 2);
      expect(await warehouse.readPublished()).toEqual(second);
      expect(await warehouse.readMapping()).toHaveLength(3);
      expect(await warehouse.listRuns()).toHaveLength(1);
    });

    it('keeps the production run visible while a newer run is running', async () => {
      const first = await publish('run-a', '2024-03-01', '2024-03-01T06:00:00.000Z');
      await warehouse.startRun(runRecord('run-b', '2024-03-02', '2024-03-02T06:00:00.000Z'));
      expect(await warehouse.readPublished()).toEqual(first);
      expect((await warehouse.listRuns())[0]).toMatchObject({ run_id: 'run-b', status: 'running' });
    });

    it('shows only the production run', async () => {
      await publish('run-a', '2024-03-01', '2024-03-01T06:00:00.000Z');
      const b = await publish('run-b', '2024-03-02', '2024-03-02T06:00:00.000Z', 3);
      const published = await warehouse.readPublished();
      expect(published).toEqual(b);
      expect(new Set(published.map((r) => r.run_id))).toEqual(new Set(['run-b']));
      expect(new Set((await warehouse.readMapping()).map((r) => r.run_id))).toEqual(new Set(['run-b']));
    });

    it('leaves the previous run visible and intact when a publish fails midway', async () => {
      const a = await publish('run-a', '2024-03-01', '2024-03-01T06:00:00.000Z');
      const record = runRecord('run-b', '2024-03-02', '2024-03-02T06:00:00.000Z');
      await warehouse.startRun(record);
      const rows = productionRows('run-b', '2024-03-02');
      // A row breaking NOT NULL halfway through the write.
      rows[3] = { ...rows[3], mqls_combined: null } as unknown as ProductionRow;
      await expect(
        warehouse.publishRun(record, { rows, mapping: mappingRows('run-b', '2024-03-02'), selection: selectionRows('run-b') }),
      ).rejects.toThrow();
      expect(await warehouse.readPublished()).toEqual(a);
      expect(new Set((await warehouse.readMapping()).map((r) => r.run_id))).toEqual(new Set(['run-a']));
      expect(await warehouse.readModelSelection()).toEqual([]);
      const runs = await warehouse.listRuns();
      expect(runs.find((r) => r.run_id === 'run-b')?.status).toBe('running');
      expect(runs.find((r) => r.run_id === 'run-a')?.status).toBe('published');
    });

    it('publishes the model selection with the run and reads it back exactly', async () => {
      await publish('run-a', '2024-03-01', '2024-03-01T06:00:00.000Z', 1, selectionRows('run-a'));
      expect(await warehouse.readModelSelection()).toEqual(selectionRows('run-a'));
    });

    it('shows only the production run\'s model selection, replaced on a republish of the same run id', async () => {
      await publish('run-a', '2024-03-01', '2024-03-01T06:00:00.000Z', 1, selectionRows('run-a'));
      await publish('run-b', '2024-03-02', '2024-03-02T06:00:00.000Z', 1, selectionRows('run-b').slice(0, 3));
      expect(await warehouse.readModelSelection()).toEqual(selectionRows('run-b').slice(0, 3));
      // A repeated publish of run-b (a retried job) replaces its selection whole.
      await warehouse.publishRun(runRecord('run-b', '2024-03-02', '2024-03-02T06:00:00.000Z'), {
        rows: productionRows('run-b', '2024-03-02', 3, 2),
        mapping: mappingRows('run-b', '2024-03-02'),
        selection: selectionRows('run-b', 2),
      });
      expect(await warehouse.readModelSelection()).toEqual(selectionRows('run-b', 2));
    });

    it('publishes no part of a run whose model selection breaks a rule', async () => {
      const a = await publish('run-a', '2024-03-01', '2024-03-01T06:00:00.000Z', 1, selectionRows('run-a'));
      const record = runRecord('run-b', '2024-03-02', '2024-03-02T06:00:00.000Z');
      await warehouse.startRun(record);
      const selection = selectionRows('run-b');
      selection[2] = { ...selection[2], candidate: null } as unknown as ModelSelectionRow;
      const publishing = warehouse.publishRun(record, { rows: productionRows('run-b', '2024-03-02'), mapping: mappingRows('run-b', '2024-03-02'), selection });
      await expect(publishing).rejects.toThrow();
      expect(await warehouse.readPublished()).toEqual(a);
      expect(await warehouse.readMapping()).toEqual(mappingRows('run-a', '2024-03-01'));
      expect(await warehouse.readModelSelection()).toEqual(selectionRows('run-a'));
      expect((await warehouse.listRuns()).find((r) => r.run_id === 'run-b')?.status).toBe('running');
    });

    it('stores the warnings a run is published with and lists them', async () => {
      const warnings = ['Guardrail: Web × organic MQLs from mstl-ets fell back to seasonal-naive', 'Data ends 2024-02-28, before the as-of date'];
      const record = runRecord('run-a', '2024-03-01', '2024-03-01T06:00:00.000Z');
      await warehouse.startRun(record);
      await warehouse.publishRun({ ...record, warnings_json: warningsJson(warnings) }, { rows: productionRows('run-a', '2024-03-01'), mapping: [], selection: [] });
      const [run] = await warehouse.listRuns();
      expect(run?.status).toBe('published');
      expect(JSON.parse(run?.warnings_json ?? 'null')).toEqual(warnings);
    });

    it('adds the later forecast_runs columns to a table created without them, keeping its runs', async () => {
      await publish('run-a', '2024-03-01', '2024-03-01T06:00:00.000Z');
      const later = FORECAST_RUNS.columns.filter((c) => c.addedLater).map((c) => c.name);
      expect(later).toEqual(['warnings_json', 'owner', 'heartbeat_at', 'request_id']);
      for (const column of later) warehouse = await setup.dropColumn(warehouse, FORECAST_RUNS.name, column);
      await warehouse.ensureSchema();
      expect(await warehouse.listRuns()).toMatchObject([
        { run_id: 'run-a', status: 'published', warnings_json: null, owner: null, heartbeat_at: null, request_id: null },
      ]);
      const record = runRecord('run-b', '2024-03-02', '2024-03-02T06:00:00.000Z', { warnings_json: warningsJson(['stale data']), request_id: 'job-7' });
      await warehouse.startRun(record);
      await warehouse.publishRun(record, { rows: productionRows('run-b', '2024-03-02'), mapping: [], selection: [] });
      expect((await warehouse.listRuns()).map((r) => [r.run_id, r.warnings_json, r.owner, r.heartbeat_at, r.request_id])).toEqual([
        ['run-b', '["stale data"]', 'conformance-host:4242', '2024-03-02T06:00:00.000Z', 'job-7'],
        ['run-a', null, null, null, null],
      ]);
    });

    it('shows the newest as-of date: an older as-of publish is kept but never production, a rerun of the newest replaces it', async () => {
      const november = await publish('run-nov', '2026-11-01', '2026-11-01T06:00:00.000Z', 1, selectionRows('run-nov'));
      // A backfill (or a late retry) of October, published after November.
      await publish('run-oct', '2026-10-01', '2026-11-02T06:00:00.000Z', 2, selectionRows('run-oct', 2));
      expect(await warehouse.readPublished()).toEqual(november);
      expect(await warehouse.readMapping()).toEqual(mappingRows('run-nov', '2026-11-01'));
      expect(await warehouse.readModelSelection()).toEqual(selectionRows('run-nov'));
      expect(await warehouse.productionRun()).toEqual({ runId: 'run-nov', asOf: '2026-11-01' });
      expect((await warehouse.listRuns()).find((r) => r.run_id === 'run-oct')?.status).toBe('published');
      // A rerun of November replaces it as production.
      const rerun = await publish('run-nov-2', '2026-11-01', '2026-11-03T06:00:00.000Z', 3);
      expect(await warehouse.readPublished()).toEqual(rerun);
      expect(await warehouse.productionRun()).toEqual({ runId: 'run-nov-2', asOf: '2026-11-01' });
    });

    it('publishes one run per request: a second execution of the request is stored abandoned and writes nothing', async () => {
      const first = runRecord('run-a', '2024-03-02', '2024-03-02T06:00:00.000Z', { request_id: 'job-1' });
      const second = runRecord('run-b', '2024-03-02', '2024-03-02T06:00:01.000Z', { request_id: 'job-1' });
      const other = runRecord('run-c', '2024-03-01', '2024-03-02T06:00:02.000Z', { request_id: 'job-2' });
      for (const record of [first, second, other]) await warehouse.startRun(record);
      const rowsOf = (record: typeof first, scale: number) => ({
        rows: productionRows(record.run_id, record.as_of, 3, scale),
        mapping: mappingRows(record.run_id, record.as_of),
        selection: selectionRows(record.run_id, scale),
      });
      expect(await warehouse.publishRun(first, rowsOf(first, 1))).toBe('run-a');
      expect(await warehouse.publishRun(second, rowsOf(second, 2))).toBe('run-a');
      expect(await warehouse.publishRun(other, rowsOf(other, 3))).toBe('run-c');
      expect((await warehouse.readPublished()).map((r) => r.run_id)).toEqual(rowsOf(first, 1).rows.map(() => 'run-a'));
      expect(await warehouse.readModelSelection()).toEqual(selectionRows('run-a', 1));
      const runs = await warehouse.listRuns();
      expect(runs.filter((r) => r.request_id === 'job-1' && r.status === 'published').map((r) => r.run_id)).toEqual(['run-a']);
      expect(runs.find((r) => r.run_id === 'run-b')).toMatchObject({
        status: 'abandoned',
        published_at: null,
        row_count: null,
        error: 'another execution of request job-1 published first; this one published nothing',
      });
      expect((await warehouse.findPublishedRun('job-1'))?.run_id).toBe('run-a');
      expect(await warehouse.findPublishedRun('job-9')).toBeNull();
    });

    it('stores running runs whose lease expired as abandoned, and leaves live and finished runs alone', async () => {
      const lease = 120_000;
      await warehouse.startRun(runRecord('run-dead', '2024-03-02', '2024-03-02T06:00:00.000Z', { owner: 'box:1' }));
      await warehouse.startRun(runRecord('run-live', '2024-03-02', '2024-03-02T06:00:00.000Z', { owner: 'box:2' }));
      await warehouse.heartbeatRun('run-live', '2024-03-02T06:05:00.000Z');
      await publish('run-done', '2024-03-01', '2024-03-01T06:00:00.000Z');
      expect(await warehouse.abandonExpiredRuns(new Date('2024-03-02T06:01:59.000Z'), lease)).toEqual([]);
      expect(await warehouse.abandonExpiredRuns(new Date('2024-03-02T06:06:00.000Z'), lease)).toEqual(['run-dead']);
      const runs = await warehouse.listRuns();
      expect(runs.find((r) => r.run_id === 'run-dead')).toMatchObject({
        status: 'abandoned',
        finished_at: '2024-03-02T06:02:00.000Z',
        error: 'lease expired at 2024-03-02T06:02:00.000Z (owner box:1 stopped heartbeating)',
      });
      expect(runs.find((r) => r.run_id === 'run-live')).toMatchObject({ status: 'running', heartbeat_at: '2024-03-02T06:05:00.000Z' });
      expect(runs.find((r) => r.run_id === 'run-done')?.status).toBe('published');
      // A heartbeat never revives an abandoned run.
      await warehouse.heartbeatRun('run-dead', '2024-03-02T06:07:00.000Z');
      expect((await warehouse.listRuns()).find((r) => r.run_id === 'run-dead')).toMatchObject({ status: 'abandoned', heartbeat_at: '2024-03-02T06:00:00.000Z' });
    });

    it('reads back what any published run wrote, production or not, and nothing of an unpublished one', async () => {
      const a = await publish('run-a', '2024-03-01', '2024-03-01T06:00:00.000Z', 1, selectionRows('run-a'));
      await publish('run-b', '2024-03-02', '2024-03-02T06:00:00.000Z', 2, selectionRows('run-b', 2));
      await warehouse.startRun(runRecord('run-c', '2024-03-03', '2024-03-03T06:00:00.000Z'));
      expect(await warehouse.readRun('run-a')).toEqual({
        rows: a,
        mapping: mappingRows('run-a', '2024-03-01'),
        selection: selectionRows('run-a'),
      });
      expect((await warehouse.readRun('run-b'))?.rows).toEqual(await warehouse.readPublished());
      expect(await warehouse.readRun('run-c')).toBeNull();
      expect(await warehouse.readRun('no-such-run')).toBeNull();
    });

    it('reads each published run\'s passed forecast days beside the actuals', async () => {
      await setup.loadLeads(warehouse, LEADS);
      await warehouse.refreshDailyActuals({ since: '2024-01-01', asOf: '2024-03-03' });
      // The leads' last event day is 2024-03-02 (it may still be filling up): the run's forecast days before it have
      // passed, and the horizon's fourth day, 03-02, has not.
      await publish('run-a', '2024-02-28', '2024-02-28T06:00:00.000Z', 1, [], 4);
      await warehouse.startRun(runRecord('run-x', '2024-02-28', '2024-02-28T07:00:00.000Z'));
      const seen = await warehouse.readForecastVsActual();
      expect(seen.map((r) => [r.run_id, r.date_day, r.Channel_Grouping_Name, r.horizon_day, r.mqls_actual, r.sqls_actual])).toEqual([
        ['run-a', '2024-02-28', 'Paid Search', 0, 0, 0],
        ['run-a', '2024-02-28', 'Web', 0, 2, 0],
        ['run-a', '2024-02-29', 'Paid Search', 1, 0, 0],
        ['run-a', '2024-02-29', 'Web', 1, 0, 1],
        ['run-a', '2024-03-01', 'Paid Search', 2, 0, 0],
        ['run-a', '2024-03-01', 'Web', 2, 1, 0],
      ]);
      const forecast = productionRows('run-a', '2024-02-28').find((r) => r.date_day === '2024-02-29' && r.Channel_Grouping_Name === 'Web');
      expect(seen[3]).toMatchObject({ as_of: '2024-02-28', sqls_forecast: forecast?.sqls_forecast, sqls_upper_95: forecast?.sqls_upper_95 });
    });

    it('shows the actuals a refresh recounted: equal to the leads\' counts, a lead added after it shown after the next', async () => {
      await setup.loadLeads(warehouse, LEADS);
      await publish('run-a', '2024-02-25', '2024-02-25T06:00:00.000Z', 1, [], 6);
      const window = { since: '2024-01-01', asOf: '2024-03-03' };
      await warehouse.refreshDailyActuals(window);
      const actuals = async () =>
        (await warehouse.readForecastVsActual()).map((r) => [r.date_day, r.Channel_Grouping_Name, r.Original_source, r.mqls_actual, r.sqls_actual, r.sqos_actual]);
      const counted = (leads: readonly LeadRow[]) => async () =>
        (await warehouse.readForecastVsActual()).map((r) => {
          const of = (stage: 'mql_date' | 'sql_date' | 'sqo_date') =>
            leads.filter((l) => l[stage] === r.date_day && l.channel_grouping_name === r.Channel_Grouping_Name && l.original_source === r.Original_source).length;
          return [r.date_day, r.Channel_Grouping_Name, r.Original_source, of('mql_date'), of('sql_date'), of('sqo_date')];
        });
      const seen = await actuals();
      // The run's six days (02-25 … 03-01) have all passed (the last event day, 03-02, has not), for both combinations.
      expect(seen).toHaveLength(12);
      expect(seen.some((r) => Number(r[3]) + Number(r[4]) + Number(r[5]) > 0)).toBe(true);
      expect(seen).toEqual(await counted(LEADS)());

      const late: LeadRow = { ...LEADS[4]!, lead_id: 'L8', mql_date: '2024-02-26', sql_date: '2024-02-29', sqo_date: null };
      await setup.loadLeads(warehouse, [late]);
      expect(await actuals()).toEqual(seen);
      await warehouse.refreshDailyActuals(window);
      expect(await actuals()).toEqual(await counted([...LEADS, late])());
      expect(await actuals()).not.toEqual(seen);

      // A narrower window recounts only its own days: the days before it keep their counts.
      await warehouse.refreshDailyActuals({ since: '2024-03-01', asOf: '2024-03-03' });
      expect(await actuals()).toEqual(await counted([...LEADS, late])());
    });

    it('retention deletes runs dated before the cutoff with all they wrote, never the production run nor a running one', async () => {
      await publish('run-old', '2024-01-01', '2024-01-01T06:00:00.000Z', 1, selectionRows('run-old'));
      await warehouse.startRun(runRecord('run-failed', '2024-01-15', '2024-01-15T06:00:00.000Z'));
      await warehouse.failRun('run-failed', 'model exploded', '2024-01-15T06:05:00.000Z');
      await warehouse.startRun(runRecord('run-busy', '2024-01-10', '2024-01-10T06:00:00.000Z'));
      // The production run: refreshes then stopped for longer than the retention.
      const production = await publish('run-prod', '2024-02-01', '2024-02-01T06:00:00.000Z', 2, selectionRows('run-prod'));

      expect(await warehouse.deleteRunsBefore('2024-01-15')).toEqual(['run-old']);
      expect(await warehouse.deleteRunsBefore('2025-06-01')).toEqual(['run-failed']);
      expect(await warehouse.deleteRunsBefore('2025-06-01')).toEqual([]);

      expect((await warehouse.listRuns()).map((r) => [r.run_id, r.status])).toEqual([
        ['run-prod', 'published'],
        ['run-busy', 'running'],
      ]);
      expect(await warehouse.productionRun()).toEqual({ runId: 'run-prod', asOf: '2024-02-01' });
      expect(await warehouse.readPublished()).toEqual(production);
      expect(await warehouse.readModelSelection()).toEqual(selectionRows('run-prod'));
      expect(await warehouse.readRun('run-old')).toBeNull();
      for (const table of ['forecast_rows', 'mapping_rows', 'model_selection', FORECAST_RUNS.name]) {
        const read = await setup.runIdsIn(warehouse, table);
        warehouse = read.warehouse;
        expect(read.runIds.filter((id) => id !== 'run-busy').sort(), table).toEqual(['run-prod']);
      }
    });

    it('reads the newest backtest back with its results', async () => {
      expect(await warehouse.readLatestBacktest()).toBeNull();
      const run = (id: string, createdAt: string) => ({
        backtest_id: id,
        created_at: createdAt,
        period: 'month',
        origins_json: '["2024-01-01"]',
        models_json: '["production","v1","naive"]',
        config_hash: 'abc',
      });
      const result = (id: string, model: string, value: number | null) =>
        ({ backtest_id: id, origin: '2024-01-01', model, level: 'total', stage: 'sqls', metric: 'wape', value });
      await warehouse.saveBacktest(run('bt-2', '2024-03-06T00:00:00.000Z'), [result('bt-2', 'production', 0.1), result('bt-2', 'naive', null)]);
      await warehouse.saveBacktest(run('bt-1', '2024-03-05T00:00:00.000Z'), [result('bt-1', 'production', 0.2)]);
      expect(await warehouse.readLatestBacktest()).toEqual({
        run: run('bt-2', '2024-03-06T00:00:00.000Z'),
        results: [result('bt-2', 'naive', null), result('bt-2', 'production', 0.1)],
      });
    });

    it('marks a run failed without touching the published one', async () => {
      const a = await publish('run-a', '2024-03-01', '2024-03-01T06:00:00.000Z');
      await warehouse.startRun(runRecord('run-b', '2024-03-02', '2024-03-02T06:00:00.000Z'));
      await warehouse.failRun('run-b', 'model exploded', '2024-03-02T06:05:00.000Z');
      expect(await warehouse.readPublished()).toEqual(a);
      const failed = (await warehouse.listRuns()).find((r) => r.run_id === 'run-b');
      expect(failed).toMatchObject({ status: 'failed', error: 'model exploded', finished_at: '2024-03-02T06:05:00.000Z' });
    });

    it('lists runs newest first, with a limit', async () => {
      await warehouse.startRun(runRecord('run-2', '2024-03-02', '2024-03-02T06:00:00.000Z'));
      await warehouse.startRun(runRecord('run-1', '2024-03-01', '2024-03-01T06:00:00.000Z'));
      await warehouse.startRun(runRecord('run-3', '2024-03-03', '2024-03-03T06:00:00.000Z'));
      const runs = await warehouse.listRuns();
      expect(runs.map((r) => r.run_id)).toEqual(['run-3', 'run-2', 'run-1']);
      expect(runs[0]).toEqual(runRecord('run-3', '2024-03-03', '2024-03-03T06:00:00.000Z'));
      expect((await warehouse.listRuns(2)).map((r) => r.run_id)).toEqual(['run-3', 'run-2']);
    });

    it('stores a backtest without touching the published forecast', async () => {
      const a = await publish('run-a', '2024-03-01', '2024-03-01T06:00:00.000Z');
      const run = {
        backtest_id: 'bt-1',
        created_at: '2024-03-05T00:00:00.000Z',
        period: 'month',
        origins_json: '["2024-01-01"]',
        models_json: '["production"]',
        config_hash: 'abc',
      };
      const result = { backtest_id: 'bt-1', origin: '2024-01-01', model: 'production', level: 'total', stage: 'sqls' };
      await warehouse.saveBacktest(run, [
        { ...result, metric: 'wape', value: 0.2 },
        { ...result, metric: 'mase', value: null },
      ]);
      await warehouse.saveBacktest(run, [{ ...result, metric: 'wape', value: 0.3 }]);
      expect(await warehouse.readPublished()).toEqual(a);
    });
  });
}
