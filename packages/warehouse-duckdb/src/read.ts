import {
  BACKING_TABLES,
  BACKTEST_RESULTS,
  BACKTEST_RUNS,
  FORECAST_RUNS,
  FORECAST_VS_ACTUAL,
  MODEL_SELECTION,
  PRODUCTION_FORECAST,
  SEGMENT_MAPPING,
  type ColumnDeclaration,
  type ColumnType,
  type BacktestResultRow,
  type BacktestRunRecord,
  type DataSummary,
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
import type { Db, SqlParams } from './connection.js';
import { PRODUCTION_RUN_SQL } from './ddl.js';
import { sqlIdentifier } from './sql-text.js';

/** ISO 8601 with milliseconds and `Z`: timestamps are stored as UTC wall time. */
export const TIMESTAMP_FORMAT = '%Y-%m-%dT%H:%M:%S.%gZ';

// Each type read back as a plain JS value: dates and timestamps as ISO text, integers as numbers (not bigint).
const READ: Readonly<Record<ColumnType, (column: string) => string>> = {
  STRING: (c) => c,
  DATE: (c) => `strftime(${c}, '%Y-%m-%d')`,
  TIMESTAMP: (c) => `strftime(${c}, '${TIMESTAMP_FORMAT}')`,
  INT64: (c) => `CAST(${c} AS DOUBLE)`,
  FLOAT64: (c) => c,
  BOOL: (c) => c,
};

/** A select list returning every declared column under its own name as a plain JS value. */
export function plainSelectList(columns: readonly ColumnDeclaration[]): string {
  return columns.map((c) => `${READ[c.type](sqlIdentifier(c.name))} AS ${sqlIdentifier(c.name)}`).join(', ');
}

/**
 * Rows of the production run, ordered by date and combination. `from` and `to` are inclusive days.
 */
export async function readPublished(db: Db, filter: PublishedFilter = {}): Promise<ProductionRow[]> {
  const conditions: string[] = ['TRUE'];
  const params: SqlParams = {};
  if (filter.channel !== undefined) {
    conditions.push('"Channel_Grouping_Name" = $channel');
    params.channel = filter.channel;
  }
  if (filter.source !== undefined) {
    conditions.push('"Original_source" = $source');
    params.source = filter.source;
  }
  if (filter.from !== undefined) {
    conditions.push('date_day >= CAST($from AS DATE)');
    params.from = filter.from;
  }
  if (filter.to !== undefined) {
    conditions.push('date_day <= CAST($to AS DATE)');
    params.to = filter.to;
  }
  return db.all<ProductionRow>(
    `SELECT ${plainSelectList(PRODUCTION_FORECAST.columns)} FROM ${PRODUCTION_FORECAST.name}
     WHERE ${conditions.join(' AND ')} ORDER BY date_day, "Channel_Grouping_Name", "Original_source"`,
    params,
  );
}

/** Mapping rows of the production run, optionally of one super-segment. */
export async function readMapping(db: Db, filter: { readonly superSegment?: string } = {}): Promise<MappingRow[]> {
  const one = filter.superSegment !== undefined;
  return db.all<MappingRow>(
    `SELECT ${plainSelectList(SEGMENT_MAPPING.columns)} FROM ${SEGMENT_MAPPING.name}
     WHERE ${one ? 'super_segment = $segment' : 'TRUE'}
     ORDER BY super_segment, "Channel_Grouping_Name", "Original_source"`,
    one ? { segment: filter.superSegment ?? null } : {},
  );
}

/** Model-selection rows of the production run: by stage, the stage-wide rows (NULL segment) first, candidate. */
export async function readModelSelection(db: Db): Promise<ModelSelectionRow[]> {
  return db.all<ModelSelectionRow>(
    `SELECT ${plainSelectList(MODEL_SELECTION.columns)} FROM ${MODEL_SELECTION.name}
     ORDER BY stage, super_segment NULLS FIRST, candidate`,
  );
}

/** What a published run wrote, read from the tables behind the views, in the views' order; null when none has the id. */
export async function readRun(db: Db, runId: string): Promise<RunRows | null> {
  const [published] = await db.all(
    `SELECT run_id FROM ${FORECAST_RUNS.name} WHERE run_id = $runId AND published_at IS NOT NULL`,
    { runId },
  );
  if (!published) return null;
  const of = (table: string) => `${sqlIdentifier(table)} WHERE run_id = $runId`;
  return {
    rows: await db.all<ProductionRow>(
      `SELECT ${plainSelectList(PRODUCTION_FORECAST.columns)} FROM ${of(BACKING_TABLES[PRODUCTION_FORECAST.name])}
       ORDER BY date_day, "Channel_Grouping_Name", "Original_source"`,
      { runId },
    ),
    mapping: await db.all<MappingRow>(
      `SELECT ${plainSelectList(SEGMENT_MAPPING.columns)} FROM ${of(BACKING_TABLES[SEGMENT_MAPPING.name])}
       ORDER BY super_segment, "Channel_Grouping_Name", "Original_source"`,
      { runId },
    ),
    selection: await db.all<ModelSelectionRow>(
      `SELECT ${plainSelectList(MODEL_SELECTION.columns)} FROM ${of(BACKING_TABLES[MODEL_SELECTION.name])}
       ORDER BY stage, super_segment NULLS FIRST, candidate`,
      { runId },
    ),
  };
}

/** Every published run's passed forecast days beside the actuals. */
export async function readForecastVsActual(db: Db): Promise<ForecastVsActualRow[]> {
  return db.all<ForecastVsActualRow>(
    `SELECT ${plainSelectList(FORECAST_VS_ACTUAL.columns)} FROM ${FORECAST_VS_ACTUAL.name}
     ORDER BY as_of, run_id, date_day, "Channel_Grouping_Name", "Original_source"`,
  );
}

/** The newest backtest and its results, or null. */
export async function readLatestBacktest(db: Db): Promise<StoredBacktest | null> {
  const [run] = await db.all<BacktestRunRecord>(
    `SELECT ${plainSelectList(BACKTEST_RUNS.columns)} FROM ${BACKTEST_RUNS.name} ORDER BY created_at DESC, backtest_id DESC LIMIT 1`,
  );
  if (!run) return null;
  const results = await db.all<BacktestResultRow>(
    `SELECT ${plainSelectList(BACKTEST_RESULTS.columns)} FROM ${BACKTEST_RESULTS.name} WHERE backtest_id = $id
     ORDER BY origin, model, level, stage, metric`,
    { id: run.backtest_id },
  );
  return { run, results };
}

/** Runs, newest start first. */
export async function listRuns(db: Db, limit?: number): Promise<RunRecord[]> {
  return db.all<RunRecord>(
    `SELECT ${plainSelectList(FORECAST_RUNS.columns)} FROM ${FORECAST_RUNS.name}
     ORDER BY started_at DESC, run_id DESC ${limit === undefined ? '' : 'LIMIT $limit'}`,
    limit === undefined ? {} : { limit },
  );
}

/** The published run of a request, or null. */
export async function findPublishedRun(db: Db, requestId: string): Promise<RunRecord | null> {
  const [run] = await db.all<RunRecord>(
    `SELECT ${plainSelectList(FORECAST_RUNS.columns)} FROM ${FORECAST_RUNS.name}
     WHERE request_id = $requestId AND published_at IS NOT NULL ORDER BY published_at LIMIT 1`,
    { requestId },
  );
  return run ?? null;
}

/** The run the views show, or null when none is published. */
export async function productionRun(db: Db): Promise<ProductionRun | null> {
  const [run] = await db.all<ProductionRun>(
    `SELECT run_id AS "runId", strftime(as_of, '%Y-%m-%d') AS "asOf" FROM ${FORECAST_RUNS.name} WHERE run_id = (${PRODUCTION_RUN_SQL})`,
  );
  return run ?? null;
}

/** Lead count, date range, segments and combination count; `null` when there are no leads. */
export async function describeData(db: Db): Promise<DataSummary | null> {
  const [summary] = await db.all<DataSummary>(`
    SELECT CAST(count(*) AS DOUBLE) AS leads,
      strftime(min(mql_date), '%Y-%m-%d') AS "firstDate",
      strftime(greatest(max(mql_date), max(sql_date), max(sqo_date)), '%Y-%m-%d') AS "lastDate",
      coalesce(list(DISTINCT super_segment ORDER BY super_segment), []) AS "superSegments",
      CAST(count(DISTINCT (channel_grouping_name, original_source)) AS DOUBLE) AS combinations
    FROM leads`);
  return summary && summary.leads > 0 ? summary : null;
}
