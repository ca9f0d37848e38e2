/** Rolling-origin backtests of the production pipeline against per-combination peers, and of the mapping window. */
export { backtest, mappingModelName, originReads } from './backtest.js';
export { planBacktestCost, type BacktestCostPlan } from './backtest-cost.js';
export * from './backtest-types.js';
export { BACKTEST_PERIODS, DEFAULT_ORIGIN_COUNT, lastFullPeriods, monthStart, periodEnd, periodsBetween, type BacktestPeriod } from './origins.js';
export { DEFAULT_BACKTEST_MODELS, PRODUCTION_MODEL } from './resolve-models.js';
export { DEFAULT_MAPPING_WINDOWS } from './mapping-backtest.js';
export { BASELINE_MODEL } from './summarise-backtest.js';
export { backtestMarkdown, backtestTables, type BacktestCell, type BacktestTable } from './backtest-tables.js';
