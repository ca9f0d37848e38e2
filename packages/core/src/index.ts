/**
 * @funnelcast/core — the pure domain of funnelcast. No I/O, no clock, no environment: the as-of date, seeds and
 * data all come in as arguments, so every function here is a plain calculation that tests can pin exactly.
 */
export * from './vocabulary.js';
export * from './dates.js';
export * from './columns.js';
export * from './leads-contract.js';
export * from './errors.js';
export * from './config.js';
export * from './ports.js';
export * from './mapping.js';
export * from './count-distribution.js';
export * from './total-distribution.js';
export * from './distribution.js';
export * from './hybrid-rates.js';
export * from './spread-by-lag.js';
export * from './conversion-history.js';
export * from './sqo-forecast.js';
export * from './assembly.js';
export * from './landings.js';
export * from './daily-totals.js';
export * from './invariants.js';
export * from './metrics.js';
export * from './published-run.js';
export * from './run-lease.js';
export * from './data-end.js';
export * from './guardrails.js';
export * from './model-selection.js';
export * from './run-warnings.js';
