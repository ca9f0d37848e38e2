/**
 * @funnelcast/warehouse-bigquery — the production warehouse on BigQuery: aggregation SQL, DDL generated from
 * core's column declarations, atomic publish, ML.FORECAST / ML.PREDICT forecasters, dry-run costs, labels and
 * retries of transient job errors.
 */
export { createBigQueryWarehouse, type BigQueryWarehouse, type BigQueryWarehouseOptions } from './bigquery-warehouse.js';
export { V31_FEATURES } from './bqml-sql.js';
export type { BigQueryTarget } from './leads-source.js';
export type { DryRunLedger, QueryInput, RetryPolicy, StatementCost } from './job-runner.js';
export { LEAD_RULES, SEGMENT_RULE, UNIQUE_RULE } from './lead-checks.js';
export { preflight, type PreflightCheck, type PreflightOptions } from './preflight.js';
