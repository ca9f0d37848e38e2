import { randomUUID } from 'node:crypto';
import {
  BACKTEST_RESULTS,
  BACKTEST_RUNS,
  duplicateRequestError,
  expiredLeaseError,
  FORECAST_RUNS,
  leaseCutoff,
  leaseExpiry,
  MODEL_SELECTION,
  PRODUCTION_FORECAST,
  publishedRunRecord,
  SEGMENT_MAPPING,
  type BacktestResultRow,
  type BacktestRunRecord,
  type ColumnDeclaration,
  type RunRecord,
  type RunRows,
} from '@funnelcast/core';
import { chunks } from './chunks.js';
import { MAPPING_TABLE, PUBLISH_ID, relationPath, ROWS_TABLE, SELECTION_TABLE, STAGING_TABLES, type DatasetRef } from './ddl.js';
import type { JobRunner, QueryInput } from './job-runner.js';
import { decodeRow, decodeValue, rowsParamType, toStruct } from './row-values.js';
import { columnList } from './sql-names.js';

/**
 * Writing runs. Rows are written with DML only (`INSERT … SELECT FROM UNNEST(@rows)`), never streaming inserts:
 * streamed rows cannot be deleted for about half an hour, and a re-run must be able to replace them.
 *
 * Atomic publish: a run's rows are first staged in chunks under fresh `publish_id`s (nothing reads the staging
 * tables), then ONE multi-statement transaction replaces the run's rows in the backing tables with the staged ones,
 * empties the staging rows and marks the run published. The views read the production run, so they see
 * either the old rows or all the new ones — a crash while staging leaves only invisible staging rows (cleared by
 * the next publish of the run), a failure inside the transaction rolls it all back. Re-publishing a run that is
 * already published is safe for the same reason: its old rows stay whole until the transaction commits.
 *
 * Every statement is safe to repeat, because the job runner retries transient failures and a failure may come after
 * BigQuery did the work: a chunk is staged once, the record replacement writes the same values again, and the row
 * move is skipped once the run's record carries this publish's `published_at`.
 *
 * One request, one publish: every write of the publish transaction is guarded by "no other run of this record's
 * `request_id` is published", and when one is, the transaction stores this run as `abandoned` instead. BigQuery
 * aborts the second of two transactions mutating the same tables at once, so two executions racing cannot both pass
 * the guard; the aborted one is retried and then finds the winner.
 */

const LEASE_COLUMNS = FORECAST_RUNS.columns.filter((c) => ['run_id', 'owner', 'started_at', 'heartbeat_at'].includes(c.name));

/** Rows per DML statement: keeps each request well under BigQuery's 10 MB request limit. @defaultValue 500 */
export const ROWS_PER_STATEMENT = 500;


/** `INSERT INTO table (columns) SELECT columns FROM UNNEST(@param)` with the parameter's value and type. */
export function insertRowsStatement(
  table: string,
  columns: readonly ColumnDeclaration[],
  param: string,
  rows: readonly object[],
): { sql: string; input: Required<QueryInput> } {
  return {
    sql: `INSERT INTO ${table} (${columnList(columns)})\nSELECT ${columnList(columns, 'r.')} FROM UNNEST(@${param}) AS r`,
    input: {
      params: { [param]: rows.map((row) => toStruct(columns, row)) },
      types: { [param]: rowsParamType(columns) },
    },
  };
}

/** A multi-statement transaction: BigQuery rolls all of it back when any statement fails. */
export function transactionScript(statements: readonly string[]): string {
  return ['BEGIN TRANSACTION', ...statements, 'COMMIT TRANSACTION'].map((s) => `${s};`).join('\n');
}

const merge = (inputs: readonly QueryInput[]): Required<QueryInput> => ({
  params: Object.assign({}, ...inputs.map((i) => i.params)),
  types: Object.assign({}, ...inputs.map((i) => i.types)),
});

/** The publish side of the BigQuery warehouse. */
export interface Publisher {
  startRun(record: RunRecord): Promise<void>;
  heartbeatRun(runId: string, at: string): Promise<void>;
  abandonExpiredRuns(now: Date, leaseMs: number): Promise<string[]>;
  publishRun(record: RunRecord, rows: RunRows): Promise<string>;
  failRun(runId: string, error: string, finishedAt: string): Promise<void>;
  saveBacktest(run: BacktestRunRecord, results: readonly BacktestResultRow[]): Promise<void>;
}

/** Builds the {@link Publisher} of a dataset; `now` stamps `published_at`. */
export function createPublisher(jobs: JobRunner, ref: DatasetRef, now: () => Date): Publisher {
  const runs = relationPath(ref, FORECAST_RUNS.name);
  const byRun = (runId: string): Required<QueryInput> => ({ params: { run_id: runId }, types: { run_id: 'STRING' } });

  // Replaces a run's record inside a transaction script; the caller adds BEGIN/COMMIT around it.
  const replaceRecord = (record: RunRecord) => {
    const insert = insertRowsStatement(runs, FORECAST_RUNS.columns, 'record', [record]);
    return { statements: [`DELETE FROM ${runs} WHERE run_id = @run_id`, insert.sql], input: merge([byRun(record.run_id), insert.input]) };
  };

  // Stages rows one statement per chunk, each chunk under its own `prefix + index` id; the staging tables are
  // invisible to every view. A chunk already staged is not staged again, so a retry after a lost response is safe.
  const stage = async (table: string, columns: readonly ColumnDeclaration[], prefix: string, rows: readonly object[]) => {
    const staging = relationPath(ref, STAGING_TABLES[table as keyof typeof STAGING_TABLES]);
    for (const [index, chunk] of chunks(rows, ROWS_PER_STATEMENT).entries()) {
      const chunkId = `${prefix}${index}`;
      const insert = insertRowsStatement(staging, [PUBLISH_ID, ...columns], 'rows', chunk.map((r) => ({ ...r, publish_id: chunkId })));
      await jobs.query(
        `${insert.sql}\nWHERE NOT EXISTS (SELECT 1 FROM ${staging} WHERE publish_id = @chunk_id)`,
        merge([insert.input, { params: { chunk_id: chunkId }, types: { chunk_id: 'STRING' } }]),
      );
    }
  };

  return {
    async startRun(record) {
      const { statements, input } = replaceRecord({ ...record, status: 'running', published_at: null, error: null, heartbeat_at: record.heartbeat_at ?? record.started_at });
      await jobs.query(transactionScript(statements), input);
    },

    async heartbeatRun(runId, at) {
      await jobs.query(`UPDATE ${runs} SET heartbeat_at = @at WHERE run_id = @run_id AND status = 'running'`, {
        params: { run_id: runId, at },
        types: { run_id: 'STRING', at: 'TIMESTAMP' },
      });
    },

    async abandonExpiredRuns(at, leaseMs) {
      const cutoff = { params: { cutoff: leaseCutoff(at, leaseMs).toISOString() }, types: { cutoff: 'TIMESTAMP' } };
      const expiredNow = `status = 'running' AND COALESCE(heartbeat_at, started_at) < @cutoff`;
      const expired = (await jobs.query(`SELECT ${columnList(LEASE_COLUMNS)} FROM ${runs} WHERE ${expiredNow}`, cutoff)).map((row) =>
        decodeRow<Pick<RunRecord, 'run_id' | 'owner' | 'started_at' | 'heartbeat_at'>>(LEASE_COLUMNS, row),
      );
      for (const run of expired) {
        // Guarded again: a heartbeat that landed since the read keeps the run alive.
        await jobs.query(
          `UPDATE ${runs} SET status = 'abandoned', error = @error, finished_at = @expired_at WHERE run_id = @run_id AND ${expiredNow}`,
          merge([
            cutoff,
            {
              params: { run_id: run.run_id, error: expiredLeaseError(run, leaseMs), expired_at: leaseExpiry(run, leaseMs).toISOString() },
              types: { run_id: 'STRING', error: 'STRING', expired_at: 'TIMESTAMP' },
            },
          ]),
        );
      }
      return expired.map((run) => run.run_id);
    },

    async publishRun(record, { rows, mapping, selection }) {
      const prefix = `${record.run_id}/${randomUUID()}#`;
      const parts = [
        { table: ROWS_TABLE, columns: PRODUCTION_FORECAST.columns, rows },
        { table: MAPPING_TABLE, columns: SEGMENT_MAPPING.columns, rows: mapping },
        { table: SELECTION_TABLE, columns: MODEL_SELECTION.columns, rows: selection },
      ];
      for (const { table } of parts) {
        await jobs.query(`DELETE FROM ${relationPath(ref, STAGING_TABLES[table])} WHERE run_id = @run_id`, byRun(record.run_id));
      }
      for (const part of parts) await stage(part.table, part.columns, prefix, part.rows);

      // published_at strictly after every other run's, so the newest publish is the one the views show.
      const [latest] = await jobs.query(`SELECT MAX(published_at) AS latest FROM ${runs} WHERE run_id <> @run_id`, byRun(record.run_id));
      const latestMs = latest?.latest == null ? null : Date.parse(String(decodeValue('TIMESTAMP', latest.latest)));
      const published = publishedRunRecord(record, { now: now(), latestOtherPublishedMs: latestMs, rowCount: rows.length, mappingRowCount: mapping.length });
      const replaced = replaceRecord(published);
      // If this very transaction already committed (a retry after its response was lost), the run's record holds
      // this publish's published_at and the staging rows are gone: the guard keeps the committed rows in place.
      const notYetCommitted = `NOT EXISTS (SELECT 1 FROM ${runs} WHERE run_id = @run_id AND published_at = @published_at)`;
      // Another execution of the same request already published: this one writes nothing. Only other runs' records
      // are read, so the answer is the same at every statement of the script.
      const requestPublished = `EXISTS (SELECT 1 FROM ${runs} WHERE request_id = @request_id AND run_id <> @run_id AND published_at IS NOT NULL)`;
      const move = (table: string, columns: readonly ColumnDeclaration[]) => {
        const target = relationPath(ref, table);
        const staging = relationPath(ref, STAGING_TABLES[table as keyof typeof STAGING_TABLES]);
        const staged = 'STARTS_WITH(publish_id, @publish_prefix)';
        return [
          `DELETE FROM ${target} WHERE run_id = @run_id AND ${notYetCommitted} AND NOT ${requestPublished}`,
          `INSERT INTO ${target} (${columnList(columns)})\nSELECT ${columnList(columns)} FROM ${staging} WHERE ${staged} AND NOT ${requestPublished}`,
          `DELETE FROM ${staging} WHERE ${staged}`,
        ];
      };
      const abandonIfDuplicate =
        `UPDATE ${runs} SET status = 'abandoned', published_at = NULL, row_count = NULL, mapping_row_count = NULL, error = @duplicate_error\n` +
        `WHERE run_id = @run_id AND ${requestPublished}`;
      const script = transactionScript([...parts.flatMap((part) => move(part.table, part.columns)), ...replaced.statements, abandonIfDuplicate]);
      const request = { params: { request_id: record.request_id }, types: { request_id: 'STRING' } };
      await jobs.query(
        script,
        merge([
          replaced.input,
          request,
          {
            params: { publish_prefix: prefix, published_at: published.published_at, duplicate_error: duplicateRequestError(record.request_id ?? '') },
            types: { publish_prefix: 'STRING', published_at: 'TIMESTAMP', duplicate_error: 'STRING' },
          },
        ]),
      );
      // This run when it published; the first published execution of its request when it was abandoned.
      const [winner] = await jobs.query(
        `SELECT run_id FROM ${runs} WHERE (run_id = @run_id OR request_id = @request_id) AND published_at IS NOT NULL ORDER BY published_at LIMIT 1`,
        merge([byRun(record.run_id), request]),
      );
      return winner ? String(winner.run_id) : record.run_id;
    },

    async failRun(runId, error, finishedAt) {
      await jobs.query(
        `UPDATE ${runs} SET status = 'failed', error = @error, finished_at = @finished_at WHERE run_id = @run_id`,
        { params: { run_id: runId, error, finished_at: finishedAt }, types: { run_id: 'STRING', error: 'STRING', finished_at: 'TIMESTAMP' } },
      );
    },

    async saveBacktest(run, results) {
      const runsTable = relationPath(ref, BACKTEST_RUNS.name);
      const resultsTable = relationPath(ref, BACKTEST_RESULTS.name);
      const inserts = [
        insertRowsStatement(runsTable, BACKTEST_RUNS.columns, 'backtest', [run]),
        ...chunks(results, ROWS_PER_STATEMENT).map((chunk, i) => insertRowsStatement(resultsTable, BACKTEST_RESULTS.columns, `results_${i}`, chunk)),
      ];
      const script = transactionScript([
        `DELETE FROM ${resultsTable} WHERE backtest_id = @backtest_id`,
        `DELETE FROM ${runsTable} WHERE backtest_id = @backtest_id`,
        ...inserts.map((i) => i.sql),
      ]);
      await jobs.query(script, merge([{ params: { backtest_id: run.backtest_id }, types: { backtest_id: 'STRING' } }, ...inserts.map((i) => i.input)]));
    },
  };
}
