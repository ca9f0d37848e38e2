import { landings, STAGE_LABELS, STAGES, type Landing, type ProductionRow } from '@funnelcast/core/terms';
import { formatNumber } from './output.js';

const BLOCKS = '▁▂▃▄▅▆▇█';

/** How many weeks `forecast --chart` draws. */
export const CHART_WEEKS = 8;

// One block per value on a scale from 0 to `max` (a zero scale draws the lowest block).
function sparkline(values: readonly number[], max: number): string {
  return values.map((v) => BLOCKS[max > 0 ? Math.min(BLOCKS.length - 1, Math.round((v / max) * (BLOCKS.length - 1))) : 0]).join('');
}

/**
 * The next weeks per stage as three sparklines on one scale — the 95% upper bound, the forecast, the 95% lower bound
 * — from core's weekly {@link landings} of the forecast days alone, so a week's band is its total's, as
 * `forecast --by week` prints it. Full weeks only: a week the horizon cuts short would look like a drop.
 */
export function forecastChart(rows: readonly ProductionRow[], weeks = CHART_WEEKS): string {
  const weekly = landings(rows.filter((r) => r.data_type === 'FORECAST'), 'week').filter((l) => !l.partial);
  const starts = [...new Set(weekly.map((l) => l.periodStart))].sort();
  // The first week may have begun before the as-of date: its forecast covers only part of it.
  const firstFull = starts.find((start) => rows.some((r) => r.date_day === start && r.data_type === 'FORECAST'));
  const shown = starts.filter((s) => firstFull !== undefined && s >= firstFull).slice(0, weeks);
  if (shown.length === 0) return 'The forecast horizon holds no full week to draw.';
  const lines = [`Weekly forecast, ${shown.length} weeks from ${shown[0]} (Monday); band: 95% interval of each week's total`];
  for (const stage of STAGES) {
    const of: Landing[] = shown.map((start) => weekly.find((l) => l.periodStart === start && l.stage === stage)!);
    const max = Math.max(...of.map((l) => l.upper95));
    lines.push(
      '',
      `${STAGE_LABELS[stage]} (scale 0–${formatNumber(max, 0)})`,
      `  upper 95%  ${sparkline(of.map((l) => l.upper95), max)}`,
      `  forecast   ${sparkline(of.map((l) => l.forecast), max)}  ${formatNumber(of[0]!.forecast)} … ${formatNumber(of.at(-1)!.forecast)} a week`,
      `  lower 95%  ${sparkline(of.map((l) => l.lower95), max)}`,
    );
  }
  return lines.join('\n');
}
