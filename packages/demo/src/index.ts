/**
 * @funnelcast/demo — a seeded generator of a realistic B2B funnel whose expected future is known. Pure: no I/O, no
 * clock; the seed and the dates are arguments. Use it to fill the embedded warehouse (`generateLeads`) and to
 * benchmark forecasters against the noise floor (`drawFutures`).
 */
export type { DemoProfile } from './demo-options.js';
export { generateLeads } from './generate-leads.js';
export { toCsvLine } from './to-csv.js';
export { sumByCombination } from './count-grid.js';
export { drawFutures } from './draw-futures.js';
