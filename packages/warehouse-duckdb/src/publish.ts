import {
  BACKING_TABLES,
  BACKTEST_RESULTS,
  BACKTEST_RUNS,
  duplicateRequestError,
  expiredLeaseError,
  FORECAST_RUNS,
  leaseCutoff,
  leaseExpiry,
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
import { plainSelectList } from './read.js';

const ROWS_TABLE = BACKING_TABLES[PRODUCTION_FORECAST.name];
const MAPPING_TABLE = BACKING_TABLES[SEGMENT_MAPPING.name];
const SELECTION_TABLE = BACKING_TABLES[MODEL_SELECTION.name];

async function replaceRunRecord(db: Db, record: RunRecord): Promise<void> {
  await deleteWhere(db, FORECAST_RUNS.name, 'run_id', record.run_id);
  await appendRows(db, FORECAST_RUNS.name, FORECAST_RUNS.columns, [record]);
}

/** Records a run as `running`, its first heartbeat its start. */
export async function startRun(db: Db, record: RunRecord): Promise<void> {
  await db.transaction(() =>
    replaceRunRecord(db, { ...record, status: 'running', published_at: null, error: null, heartbeat_at: record.heartbeat_at ?? record.started_at }),
  );
}

/** Renews a running run's lease. */
export async function heartbeatRun(db: Db, runId: string, at: string): Promise<void> {
  await db.run(
    `UPDATE forecast_runs SET heartbeat_at = CAST($at AS TIMESTAMP) WHERE run_id = $runId AND status = 'running'`,
    { runId, at },
  );
}

const LEASE_COLUMNS = ['run_id', 'owner', 'started_at', 'heartbeat_at'];

/** Stores the running runs whose lease ran out before `now` as abandoned; returns their ids. */
export async function abandonExpiredRuns(db: Db, now: Date, leaseMs: number): Promise<string[]> {
  return db.transaction(async () => {
    const expired = await db.all<Pick<RunRecord, 'run_id' | 'started_at' | 'heartbeat_at' | 'owner'>>(
      `SELECT ${plainSelectList(FORECAST_RUNS.columns.filter((c) => LEASE_COLUMNS.includes(c.name)))} FROM forecast_runs WHERE status = 'running' AND coalesce(heartbeat_at, started_at) < CAST($cutoff AS TIMESTAMP)`,
      { cutoff: leaseCutoff(now, leaseMs).toISOString() },
    );
    for (const run of expired) {
      await db.run(
        `UPDATE forecast_runs SET status = 'abandoned', error = $error, finished_at = CAST($expiredAt AS TIMESTAMP)
         WHERE run_id = $runId`,
        { runId: run.run_id, error: expiredLeaseError(run, leaseMs), expiredAt: leaseExpiry(run, leaseMs).toISOString() },
      );
    }
    return expired.map((run) => run.run_id);
  });
}

/** The published run of another execution of the record's request, if one published. */
async function publishedRunOfRequest(db: Db, record: RunRecord): Promise<string | undefined> {
  if (record.request_id === null) return undefined;
  const [winner] = await db.all<{ run_id: string }>(
    `SELECT run_id FROM forecast_runs WHERE request_id = $requestId AND run_id <> $runId AND published_at IS NOT NULL
     ORDER BY published_at LIMIT 1`,
    { requestId: record.request_id, runId: record.run_id },
  );
  return winner?.run_id;
}

/**
 * Writes a run's rows, mapping and model selection and marks it published, in one transaction: any failure rolls everything back,
 * so the previously published run stays visible. `published_at` is stamped here, strictly after every earlier
 * publish. When another execution of the run's request already published, nothing is written and this run is
 * stored as abandoned; the winner's id is returned.
 */
export async function publishRun(
  db: Db,
  record: RunRecord,
  { rows, mapping, selection }: RunRows,
  now: Date,
): Promise<string> {
  return db.transaction(async () => {
    const winner = await publishedRunOfRequest(db, record);
    if (winner !== undefined) {
      await replaceRunRecord(db, { ...record, status: 'abandoned', published_at: null, row_count: null, mapping_row_count: null, error: duplicateRequestError(record.request_id!) });
      return winner;
    }
    for (const table of [ROWS_TABLE, MAPPING_TABLE, SELECTION_TABLE]) await deleteWhere(db, table, 'run_id', record.run_id);
    const values = new Array<string | number | null>(PRODUCTION_FORECAST.columns.length);
    await appendRows(db, ROWS_TABLE, PRODUCTION_FORECAST.columns, rows, (row) => productionRowValues(row, values));
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
    return record.run_id;
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
