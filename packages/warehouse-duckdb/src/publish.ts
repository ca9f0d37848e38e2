import {
  BACKING_TABLES,
  BACKTEST_RESULTS,
  BACKTEST_RUNS,
  FORECAST_RUNS,
  MODEL_SELECTION,
  PRODUCTION_FORECAST,
  productionRowValues,
  publishedRunRecord,
  SEGMENT_MAPPING,
  type BacktestResultRow,
  type BacktestRunRecord,
  type RunRecord,
  type RunRows,
} from '@funnelcast/core';
import { appendRows, deleteWhere } from './append-rows.js';
import type { Db } from './connection.js';
import { TIMESTAMP_FORMAT } from './read.js';

const ROWS_TABLE = BACKING_TABLES[PRODUCTION_FORECAST.name];
const MAPPING_TABLE = BACKING_TABLES[SEGMENT_MAPPING.name];
const SELECTION_TABLE = BACKING_TABLES[MODEL_SELECTION.name];

async function replaceRunRecord(db: Db, record: RunRecord): Promise<void> {
  await deleteWhere(db, FORECAST_RUNS.name, 'run_id', record.run_id);
  await appendRows(db, FORECAST_RUNS.name, FORECAST_RUNS.columns, [record]);
}

/**
 * Records a run as `running`. A re-run of a published run keeps its `published_at`, so the views go on showing
 * its old rows until {@link publishRun} commits the new ones.
 */
export async function startRun(db: Db, record: RunRecord): Promise<void> {
  await db.transaction(async () => {
    const [previous] = await db.all<{ published_at: string | null }>(
      `SELECT strftime(published_at, '${TIMESTAMP_FORMAT}') AS published_at FROM forecast_runs WHERE run_id = $runId`,
      { runId: record.run_id },
    );
    await replaceRunRecord(db, {
      ...record,
      status: 'running',
      published_at: previous?.published_at ?? null,
      error: null,
    });
  });
}

/**
 * Writes a run's rows, mapping and model selection and marks it published, in one transaction: any failure rolls everything back,
 * so the previously published run stays visible. `published_at` is stamped here, strictly after every earlier
 * publish, so the newest publish is always the one the views show.
 */
export async function publishRun(
  db: Db,
  record: RunRecord,
  { rows, mapping, selection }: RunRows,
  now: Date,
): Promise<void> {
  await db.transaction(async () => {
    for (const table of [ROWS_TABLE, MAPPING_TABLE, SELECTION_TABLE]) await deleteWhere(db, table, 'run_id', record.run_id);
    await appendRows(db, ROWS_TABLE, PRODUCTION_FORECAST.columns, rows, productionRowValues);
    await appendRows(db, MAPPING_TABLE, SEGMENT_MAPPING.columns, mapping);
    await appendRows(db, SELECTION_TABLE, MODEL_SELECTION.columns, selection);
    const [latest] = await db.all<{ ms: number | null }>(
      `SELECT CAST(epoch_ms(max(published_at)) AS DOUBLE) AS ms FROM forecast_runs WHERE run_id <> $runId`,
      { runId: record.run_id },
    );
    await replaceRunRecord(
      db,
      publishedRunRecord(record, { now, latestOtherPublishedMs: latest?.ms ?? null, rowCount: rows.length, mappingRowCount: mapping.length }),
    );
  });
}

/** Marks a run failed with its reason; rows and the published run are untouched. */
export async function failRun(db: Db, runId: string, error: string, finishedAt: string): Promise<void> {
  await db.run(
    `UPDATE forecast_runs SET status = 'failed', error = $error, finished_at = CAST($finishedAt AS TIMESTAMP)
     WHERE run_id = $runId`,
    { runId, error, finishedAt },
  );
}

/** Stores a backtest and its results, replacing an earlier backtest with the same id. */
export async function saveBacktest(db: Db, run: BacktestRunRecord, results: readonly BacktestResultRow[]): Promise<void> {
  await db.transaction(async () => {
    await deleteWhere(db, BACKTEST_RESULTS.name, 'backtest_id', run.backtest_id);
    await deleteWhere(db, BACKTEST_RUNS.name, 'backtest_id', run.backtest_id);
    await appendRows(db, BACKTEST_RUNS.name, BACKTEST_RUNS.columns, [run]);
    await appendRows(db, BACKTEST_RESULTS.name, BACKTEST_RESULTS.columns, results);
  });
}
