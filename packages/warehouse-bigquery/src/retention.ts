import { FORECAST_RUNS, type IsoDate } from '@funnelcast/core';
import { MAPPING_TABLE, productionRunSql, relationPath, ROWS_TABLE, SELECTION_TABLE, STAGING_TABLES, type DatasetRef } from './ddl.js';
import type { JobRunner, QueryInput } from './job-runner.js';
import { transactionScript } from './publish.js';

/**
 * Retention by DELETE, not partition expiration: expiration counts from each partition's date against the clock, so
 * once refreshes stopped for longer than the retention it would drop the production run too. Here production is read
 * inside the deleting transaction and always spared; `COALESCE` keeps the comparison true while nothing is published.
 */
const expiredRunsSql = (ref: DatasetRef) => `SELECT run_id FROM ${relationPath(ref, FORECAST_RUNS.name)}
  WHERE as_of < @cutoff AND status <> 'running' AND run_id <> COALESCE((${productionRunSql(ref)}), '')`;

/**
 * Deletes the runs dated before the cutoff with their rows, mapping, model selection, leftover staging rows and
 * records, in one transaction; returns their ids. Nothing to delete costs one small read, no transaction.
 */
export async function deleteRunsBefore(jobs: JobRunner, ref: DatasetRef, cutoff: IsoDate): Promise<string[]> {
  const input: QueryInput = { params: { cutoff }, types: { cutoff: 'DATE' } };
  const expired = expiredRunsSql(ref);
  const ids = (await jobs.query(`${expired}\nORDER BY run_id`, input)).map((row) => String(row.run_id));
  if (ids.length === 0) return [];
  // forecast_rows is partitioned by as_of: the date filter prunes the scan to the expired partitions.
  const statements = [
    `DELETE FROM ${relationPath(ref, ROWS_TABLE)} WHERE as_of < @cutoff AND run_id IN (${expired})`,
    ...[MAPPING_TABLE, SELECTION_TABLE, ...Object.values(STAGING_TABLES)].map(
      (table) => `DELETE FROM ${relationPath(ref, table)} WHERE run_id IN (${expired})`,
    ),
    // The records go last: every statement before reads the same expired set from them.
    `DELETE FROM ${relationPath(ref, FORECAST_RUNS.name)} WHERE run_id IN (${expired})`,
  ];
  await jobs.query(transactionScript(statements), input);
  return ids;
}
