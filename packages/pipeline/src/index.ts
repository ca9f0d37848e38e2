/**
 * @funnelcast/pipeline — composes a warehouse, the models and core into the jobs users run: refresh, import,
 * demo and backtest. The pipeline never knows which warehouse it has.
 */
export * from './progress.js';
export * from './refresh-types.js';
export { refresh, runIdFor } from './refresh.js';
export { reapAbandonedRuns } from './refresh-leases.js';
export { computeForecast, historyRequest, validateHistory, type ComputedForecast, type ForecastContext, type StageForecasters } from './compute-forecast.js';
export { resolveForecasters } from './forecasters.js';
export { loadConfigFile, withDatabasePath, DEFAULT_CONFIG_FILES, type LoadedConfig } from './load-config.js';
export { databaseExists, openWarehouse, withWarehouse, type OpenedWarehouse, type OpenMode } from './open-warehouse.js';
export { importLeadsFile, seedDemo, type ImportOptions, type DemoSeedOptions, type DemoSeedSummary } from './leads.js';
export * from './backtest/index.js';
export { buildReport, readReportData, type RenderedReport, type ReportRequest } from './report.js';
export { leadsContractTables, LEADS_CONTRACT_MARKERS, referenceDocs, type ReferenceDoc } from './reference-docs.js';
