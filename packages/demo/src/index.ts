/**
 * @funnelcast/demo — a seeded generator of a realistic B2B funnel whose expected future is known. Pure: no I/O, no
 * clock; the seed and the dates are arguments. Use it to fill the embedded warehouse (`generateLeads` + `toCsv`)
 * and to benchmark forecasters against the perfect forecaster (`expectedDailyCounts`) and the noise floor
 * (`drawFutures`).
 */
export * from './demo-options.js';
export * from './demo-process.js';
export type { DemoSegmentShare } from './demo-profile-shape.js';
export * from './generate-leads.js';
export * from './count-grid.js';
export * from './expected-daily-counts.js';
export * from './draw-futures.js';
export * from './poisson-quantile.js';
export * from './to-csv.js';
export { NO_DAY } from './simulate-leads.js';
