/**
 * @funnelcast/pipeline — composes a warehouse, the models and core into the jobs users run: refresh, import,
 * demo and backtest. The pipeline never knows which warehouse it has.
 */
export type { ProgressEvent } from './progress.js';
export type { RefreshOptions, RefreshSummary } from './refresh-types.js';
export { refresh } from './refresh.js';
export { doctor } from './doctor.js';
export { dryRunPlan, planRefreshCost, type PricedPlan } from './cost-plan.js';
export { planBacktestCost } from './backtest/backtest-cost.js';
export { reapAbandonedRuns } from './refresh-leases.js';
export { historyRequest } from './compute-forecast.js';
export { loadConfigFile, withDatabasePath } from './load-config.js';
export { databaseExists, withWarehouse } from './open-warehouse.js';
export { train, type TrainOptions, type TrainSummary } from './train.js';
export { importLeadsFile, seedDemo, type DemoSeedOptions } from './leads.js';
export { backtestMarkdown, backtestTables, type BacktestTable } from './backtest/backtest-tables.js';
export type { BacktestReport } from './backtest/backtest-types.js';
export { backtest } from './backtest/backtest.js';
export { monthStart, periodsBetween } from './backtest/origins.js';
export { buildReport, readReportData } from './report.js';
export { leadsContractTables, LEADS_CONTRACT_MARKERS, referenceDocs } from './reference-docs.js';
