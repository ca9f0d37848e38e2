/**
 * @funnelcast/warehouse-bigquery — the production warehouse on BigQuery: aggregation SQL, DDL generated from
 * core's column declarations, atomic publish, ML.FORECAST / ML.PREDICT forecasters, dry-run costs, labels and
 * retries of transient job errors.
 */
export { createBigQueryWarehouse } from './bigquery-warehouse.js';
export type { DryRunLedger, StatementCost } from './job-runner.js';
export { preflight, type PreflightCheck } from './preflight.js';
