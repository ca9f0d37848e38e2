import {
  FORECAST_RUNS,
  MODEL_SELECTION,
  PRODUCTION_FORECAST,
  SEGMENT_MAPPING,
  type ColumnDeclaration,
  type ColumnType,
  type DataSummary,
  type MappingRow,
  type ModelSelectionRow,
  type ProductionRow,
  type ProductionRun,
  type PublishedFilter,
  type RunRecord,
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
