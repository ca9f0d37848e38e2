import {
  addDays,
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

/** Variance of each forecast cell, keyed `combinationKey|date`, for period totals with honest intervals. */
function cellVariances(fine: Readonly<Record<Stage, readonly PredictiveSeries[]>>, stage: Stage, asOf: IsoDate): Map<string, number> {
  const variances = new Map<string, number>();
  // One date per horizon day, not one per cell: addDays parses and formats a date on every call.
  const dates: IsoDate[] = [];
  for (const series of fine[stage]) {
    series.variance.forEach((variance, day) => variances.set(`${series.key}|${(dates[day] ??= addDays(asOf, day))}`, variance));
  }
  return variances;
}

/** Where each stage lands this month and this quarter: actual to date plus forecast, with intervals of the total. */
export function periodLandings(
  rows: readonly ProductionRow[],
  fine: Readonly<Record<Stage, readonly PredictiveSeries[]>>,
  asOf: IsoDate,
): PeriodLanding[] {
  const out: PeriodLanding[] = [];
  const quarterStart = startOfQuarter(asOf);
  const periods = [
    { period: 'month' as const, from: startOfMonth(asOf), to: startOfNextMonth(asOf) },
    { period: 'quarter' as const, from: quarterStart, to: startOfNextMonth(startOfNextMonth(startOfNextMonth(quarterStart))) },
  ];
  for (const stage of STAGES) {
    const variances = cellVariances(fine, stage, asOf);
    for (const { period, from, to } of periods) {
      out.push({ stage, period, periodStart: from, ...landing({ rows, stage, from, to, variances }) });
    }
  }
  return out;
}
