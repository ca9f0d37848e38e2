/**
 * @funnelcast/warehouse-bigquery — the production warehouse on BigQuery: aggregation SQL, DDL generated from
 * core's column declarations, atomic publish, ML.FORECAST / ML.PREDICT forecasters, dry-run costs, labels and
 * retries of transient job errors.
 */
export { createBigQueryWarehouse, type BigQueryWarehouse, type BigQueryWarehouseOptions } from './bigquery-warehouse.js';
export { V31_FEATURES } from './v31-bqml-forecaster.js';
export type { BigQueryTarget } from './leads-source.js';
export type { QueryInput, RetryPolicy } from './job-runner.js';
export { bigQueryLeadRules } from './lead-checks.js';
