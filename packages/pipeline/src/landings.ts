import {
  addDays,
  dateRange,
  landing,
  startOfMonth,
  startOfNextMonth,
  startOfQuarter,
  STAGES,
  type IsoDate,
  type PredictiveSeries,
  type ProductionRow,
  type Stage,
} from '@funnelcast/core';
import type { PeriodLanding } from './refresh-types.js';

/**
 * Variance of each forecast cell, keyed `combinationKey|date`, for period totals with honest intervals. `dates` are
 * the horizon's days, formatted once for every stage and cell.
 */
function cellVariances(series: readonly PredictiveSeries[], dates: readonly IsoDate[]): Map<string, number> {
  const variances = new Map<string, number>();
  for (const { key, variance } of series) variance.forEach((v, day) => variances.set(`${key}|${dates[day]}`, v));
  return variances;
}

/** Where each stage lands this month and this quarter: actual to date plus forecast, with intervals of the total. */
export function periodLandings(
  rows: readonly ProductionRow[],
  fine: Readonly<Record<Stage, readonly PredictiveSeries[]>>,
  asOf: IsoDate,
  horizon: number,
): PeriodLanding[] {
  const out: PeriodLanding[] = [];
  const quarterStart = startOfQuarter(asOf);
  const periods = [
    { period: 'month' as const, from: startOfMonth(asOf), to: startOfNextMonth(asOf) },
    { period: 'quarter' as const, from: quarterStart, to: startOfNextMonth(startOfNextMonth(startOfNextMonth(quarterStart))) },
  ];
  const dates = dateRange(asOf, addDays(asOf, horizon));
  for (const stage of STAGES) {
    const variances = cellVariances(fine[stage], dates);
    for (const { period, from, to } of periods) {
      out.push({ stage, period, periodStart: from, ...landing({ rows, stage, from, to, variances }) });
    }
  }
  return out;
}
