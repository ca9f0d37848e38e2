import type { RefreshSummary } from '@funnelcast/pipeline';
import { formatNumber, table } from './output.js';

const STAGE_NAMES = { mqls: 'MQLs', sqls: 'SQLs', sqos: 'SQOs' } as const;

/** The human summary of a refresh: what was published and where each stage lands this month and quarter. */
export function renderRefreshSummary(summary: RefreshSummary): string {
  const seconds = (Object.values(summary.timings).reduce((a, b) => a + b, 0) / 1000).toFixed(1);
  const head = summary.published
    ? `Published run ${summary.runId} to ${summary.target} (${summary.warehouse}) in ${seconds}s`
    : `Dry run ${summary.runId} on ${summary.target} (${summary.warehouse}): computed and validated in ${seconds}s, nothing published`;
  const rows = summary.landings.map((l) => [
    `${l.period === 'month' ? l.periodStart.slice(0, 7) : `${l.periodStart.slice(0, 4)}-Q${Math.floor(Number(l.periodStart.slice(5, 7)) / 3) + 1}`}${l.partial ? ' *' : ''}`,
    STAGE_NAMES[l.stage],
    formatNumber(l.actualToDate, 0),
    formatNumber(l.forecast),
    formatNumber(l.landing),
    `${formatNumber(l.lower50)} – ${formatNumber(l.upper50)}`,
    `${formatNumber(l.lower95)} – ${formatNumber(l.upper95)}`,
  ]);
  const timings = Object.entries(summary.timings)
    .map(([phase, ms]) => `${phase} ${Math.round(ms)} ms`)
    .join(', ');
  return [
    head,
    `  as of ${summary.asOf}, ${summary.horizon}-day horizon, ${summary.combinations} Channel × Source combinations, ` +
      `${summary.superSegments.length} super-segments, ${summary.rows.toLocaleString('en-US')} rows`,
    `  models: MQLs ${summary.models.mqls}, SQLs ${summary.models.sqls} (distributed), SQOs hybrid rate × SQL→SQO lag`,
    '',
    'Where we land',
    table(['period', 'stage', 'actual to date', 'forecast rest', 'landing', '50% interval', '95% interval'], rows),
    ...(summary.landings.some((l) => l.partial) ? ['  * the horizon ends before the period does: its last days are not counted'] : []),
    '',
    `  timings: ${timings}`,
    ...(summary.warnings.length ? ['', ...summary.warnings.map((w) => `  note: ${w}`)] : []),
  ].join('\n');
}
