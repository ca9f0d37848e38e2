import {
  BACKING_TABLES,
  BACKTEST_RESULTS,
  BACKTEST_RUNS,
  FORECAST_RUNS,
  FORECAST_VS_ACTUAL,
  MODEL_SELECTION,
  PRODUCTION_FORECAST,
  SEGMENT_MAPPING,
  type BacktestResultRow,
  type BacktestRunRecord,
  type ForecastVsActualRow,
  type MappingRow,
  type ModelSelectionRow,
  type ProductionRow,
  type ProductionRun,
  type PublishedFilter,
  type RunRecord,
  type RunRows,
  type StoredBacktest,
} from '@funnelcast/core';
import { productionRunSql, relationPath, type DatasetRef } from './ddl.js';
import type { JobRunner } from './job-runner.js';
import { decodeRow, decodeValue } from './row-values.js';
import { columnList } from './sql-names.js';


interface Condition {
  readonly sql: string;
  readonly param: string;
  readonly type: string;
  readonly value: string | undefined;
}

// Only conditions whose value is given are kept; their SQL is constant text and the value a typed parameter.
function where(conditions: readonly Condition[]) {
  const used = conditions.filter((c): c is Condition & { value: string } => c.value !== undefined);
  return {
    sql: used.length ? `WHERE ${used.map((c) => c.sql).join(' AND ')}` : '',
    input: {
      params: Object.fromEntries(used.map((c) => [c.param, c.value])),
      types: Object.fromEntries(used.map((c) => [c.param, c.type])),
    },
  };
}

/** Rows of the production run (the production view), ordered by date and combination; days inclusive. */
export async function readPublished(jobs: JobRunner, ref: DatasetRef, filter: PublishedFilter = {}): Promise<ProductionRow[]> {
  const { sql, input } = where([
    { sql: '`Channel_Grouping_Name` = @channel', param: 'channel', type: 'STRING', value: filter.channel },
    { sql: '`Original_source` = @source', param: 'source', type: 'STRING', value: filter.source },
    { sql: 'date_day >= @from_day', param: 'from_day', type: 'DATE', value: filter.from },
    { sql: 'date_day <= @to_day', param: 'to_day', type: 'DATE', value: filter.to },
  ]);
  const rows = await jobs.query(
    `SELECT ${columnList(PRODUCTION_FORECAST.columns)} FROM ${relationPath(ref, PRODUCTION_FORECAST.name)}
${sql}
ORDER BY date_day, \`Channel_Grouping_Name\`, \`Original_source\``,
    input,
  );
  return rows.map((r) => decodeRow<ProductionRow>(PRODUCTION_FORECAST.columns, r));
}

/** Mapping rows of the production run, optionally of one super-segment. */
export async function readMapping(jobs: JobRunner, ref: DatasetRef, filter: { readonly superSegment?: string } = {}): Promise<MappingRow[]> {
  const { sql, input } = where([
    { sql: 'super_segment = @segment', param: 'segment', type: 'STRING', value: filter.superSegment },
  ]);
  const rows = await jobs.query(
    `SELECT ${columnList(SEGMENT_MAPPING.columns)} FROM ${relationPath(ref, SEGMENT_MAPPING.name)}
${sql}
ORDER BY super_segment, \`Channel_Grouping_Name\`, \`Original_source\``,
    input,
  );
  return rows.map((r) => decodeRow<MappingRow>(SEGMENT_MAPPING.columns, r));
}

/** Model-selection rows of the production run: by stage, the stage-wide rows (NULL segment) first, candidate. */
export async function readModelSelection(jobs: JobRunner, ref: DatasetRef): Promise<ModelSelectionRow[]> {
  // `super_segment IS NOT NULL` puts the NULLs first under any engine's default null order.
  const rows = await jobs.query(
    `SELECT ${columnList(MODEL_SELECTION.columns)} FROM ${relationPath(ref, MODEL_SELECTION.name)}
ORDER BY stage, super_segment IS NOT NULL, super_segment, candidate`,
  );
  return rows.map((r) => decodeRow<ModelSelectionRow>(MODEL_SELECTION.columns, r));
}

/** What a published run wrote, read from the tables behind the views, in the views' order; null when none has the id. */
export async function readRun(jobs: JobRunner, ref: DatasetRef, runId: string): Promise<RunRows | null> {
  const input = { params: { run_id: runId }, types: { run_id: 'STRING' } };
  const [published] = await jobs.query(
    `SELECT run_id FROM ${relationPath(ref, FORECAST_RUNS.name)} WHERE run_id = @run_id AND published_at IS NOT NULL`,
    input,
  );
  if (!published) return null;
  const of = (table: string) => `${relationPath(ref, table)} WHERE run_id = @run_id`;
  const [rows, mapping, selection] = await Promise.all([
    jobs.query(
      `SELECT ${columnList(PRODUCTION_FORECAST.columns)} FROM ${of(BACKING_TABLES[PRODUCTION_FORECAST.name])}
ORDER BY date_day, \`Channel_Grouping_Name\`, \`Original_source\``,
      input,
    ),
    jobs.query(
      `SELECT ${columnList(SEGMENT_MAPPING.columns)} FROM ${of(BACKING_TABLES[SEGMENT_MAPPING.name])}
ORDER BY super_segment, \`Channel_Grouping_Name\`, \`Original_source\``,
      input,
    ),
    jobs.query(
      `SELECT ${columnList(MODEL_SELECTION.columns)} FROM ${of(BACKING_TABLES[MODEL_SELECTION.name])}
ORDER BY stage, super_segment IS NOT NULL, super_segment, candidate`,
      input,
    ),
  ]);
  return {
    rows: rows.map((r) => decodeRow<ProductionRow>(PRODUCTION_FORECAST.columns, r)),
    mapping: mapping.map((r) => decodeRow<MappingRow>(SEGMENT_MAPPING.columns, r)),
    selection: selection.map((r) => decodeRow<ModelSelectionRow>(MODEL_SELECTION.columns, r)),
  };
}

/** Every published run's passed forecast days beside the actuals. */
export async function readForecastVsActual(jobs: JobRunner, ref: DatasetRef): Promise<ForecastVsActualRow[]> {
  const rows = await jobs.query(
    `SELECT ${columnList(FORECAST_VS_ACTUAL.columns)} FROM ${relationPath(ref, FORECAST_VS_ACTUAL.name)}
ORDER BY as_of, run_id, date_day, \`Channel_Grouping_Name\`, \`Original_source\``,
  );
  return rows.map((r) => decodeRow<ForecastVsActualRow>(FORECAST_VS_ACTUAL.columns, r));
}

/** The newest backtest and its results, or null. */
export async function readLatestBacktest(jobs: JobRunner, ref: DatasetRef): Promise<StoredBacktest | null> {
  const [run] = await jobs.query(
    `SELECT ${columnList(BACKTEST_RUNS.columns)} FROM ${relationPath(ref, BACKTEST_RUNS.name)}
ORDER BY created_at DESC, backtest_id DESC
LIMIT 1`,
  );
  if (!run) return null;
  const backtest = decodeRow<BacktestRunRecord>(BACKTEST_RUNS.columns, run);
  const results = await jobs.query(
    `SELECT ${columnList(BACKTEST_RESULTS.columns)} FROM ${relationPath(ref, BACKTEST_RESULTS.name)}
WHERE backtest_id = @backtest_id
ORDER BY origin, model, level, stage, metric`,
    { params: { backtest_id: backtest.backtest_id }, types: { backtest_id: 'STRING' } },
  );
  return { run: backtest, results: results.map((r) => decodeRow<BacktestResultRow>(BACKTEST_RESULTS.columns, r)) };
}

/** Runs, newest start first. */
export async function listRuns(jobs: JobRunner, ref: DatasetRef, limit?: number): Promise<RunRecord[]> {
  const rows = await jobs.query(
    `SELECT ${columnList(FORECAST_RUNS.columns)} FROM ${relationPath(ref, FORECAST_RUNS.name)}
ORDER BY started_at DESC, run_id DESC${limit === undefined ? '' : '\nLIMIT @limit'}`,
    limit === undefined ? {} : { params: { limit }, types: { limit: 'INT64' } },
  );
  return rows.map((r) => decodeRow<RunRecord>(FORECAST_RUNS.columns, r));
}

/** The published run of a request, or null. */
export async function findPublishedRun(jobs: JobRunner, ref: DatasetRef, requestId: string): Promise<RunRecord | null> {
  const [row] = await jobs.query(
    `SELECT ${columnList(FORECAST_RUNS.columns)} FROM ${relationPath(ref, FORECAST_RUNS.name)}
WHERE request_id = @request_id AND published_at IS NOT NULL ORDER BY published_at LIMIT 1`,
    { params: { request_id: requestId }, types: { request_id: 'STRING' } },
  );
  return row ? decodeRow<RunRecord>(FORECAST_RUNS.columns, row) : null;
}

/** The run the views show, or null when none is published. */
export async function productionRun(jobs: JobRunner, ref: DatasetRef): Promise<ProductionRun | null> {
  const [row] = await jobs.query(
    `SELECT run_id, as_of FROM ${relationPath(ref, FORECAST_RUNS.name)} WHERE run_id = (${productionRunSql(ref)})`,
  );
  return row ? { runId: String(row.run_id), asOf: decodeValue('DATE', row.as_of) as string } : null;
}
