/**
 * @funnelcast/report — the forecast as one self-contained HTML page: fan charts drawn by ECharts as SVG in Node,
 * landings, the mapping, the track record and the run. Data in, HTML out: reading the warehouse is the caller's job.
 */
export { renderReport } from './render-report.js';
export type { ReportData, ReportGrouping } from './report-data.js';
export { formatCount, formatInterval } from './format.js';
