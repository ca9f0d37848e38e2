/**
 * @funnelcast/report — the forecast as one self-contained HTML page: fan charts drawn by ECharts as SVG in Node,
 * landings, the mapping, the track record and the run. Data in, HTML out: reading the warehouse is the caller's job.
 */
export { renderReport, DEFAULT_TOP } from './render-report.js';
export type { ReportData, ReportGrouping, ReportOptions } from './report-data.js';
export { SERIES_NAMES } from './fan-chart.js';
export { currentLandings } from './landings-section.js';
export { escapeHtml, jsonForScript } from './html.js';
export { formatCount, formatInterval } from './format.js';
