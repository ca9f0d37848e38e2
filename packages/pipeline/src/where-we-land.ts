import {
  addDays,
  calendarParts,
  startOfMonth,
  startOfQuarter,
  STAGES,
  sumBounds,
  varianceFromInterval,
  type IsoDate,
  type ProductionRow,
  type Stage,
} from '@funnelcast/core';

/** The periods a landing can be summed over. */
export const LANDING_PERIODS = ['week', 'month', 'quarter'] as const;
/** One of {@link LANDING_PERIODS}. */
export type LandingPeriod = (typeof LANDING_PERIODS)[number];

/** Where one stage lands over one period: actuals so far plus the forecast of the rest, with intervals. */
export interface LandingRow {
  readonly periodStart: IsoDate;
  readonly stage: Stage;
  readonly actual: number;
  readonly forecast: number;
  readonly landing: number;
  readonly lower50: number;
  readonly upper50: number;
  readonly lower95: number;
  readonly upper95: number;
}

function periodStart(date: IsoDate, by: LandingPeriod): IsoDate {
  if (by === 'month') return startOfMonth(date);
  if (by === 'quarter') return startOfQuarter(date);
  // ISO weeks start on Monday.
  return addDays(date, -((calendarParts(date).dayOfWeek + 6) % 7));
}

/**
 * Sums published rows into period landings. The published view keeps daily bounds only, so the interval of a total is
 * rebuilt from each cell's 95% interval (its implied variance) assuming cells are independent — the same method
 * and assumption as the LookML interval measures.
 */
export function whereWeLand(rows: readonly ProductionRow[], by: LandingPeriod): LandingRow[] {
  const groups = new Map<string, { start: IsoDate; stage: Stage; actual: number; cells: { mean: number; variance: number }[] }>();
  for (const row of rows) {
    const start = periodStart(row.date_day, by);
    for (const stage of STAGES) {
      const key = `${start}|${stage}`;
      let group = groups.get(key);
      if (!group) groups.set(key, (group = { start, stage, actual: 0, cells: [] }));
      const actual = row[`${stage}_actual`];
      const forecast = row[`${stage}_forecast`];
      if (actual !== null) group.actual += actual;
      if (forecast !== null) {
        group.cells.push({
          mean: forecast,
          variance: varianceFromInterval(forecast, row[`${stage}_lower_95`] ?? forecast, row[`${stage}_upper_95`] ?? forecast),
        });
      }
    }
  }
  return [...groups.values()]
    .sort((a, b) => (a.start === b.start ? STAGES.indexOf(a.stage) - STAGES.indexOf(b.stage) : a.start < b.start ? -1 : 1))
    .map(({ start, stage, actual, cells }) => {
      const total = sumBounds(cells);
      return {
        periodStart: start,
        stage,
        actual,
        forecast: total.mean,
        landing: actual + total.mean,
        lower50: actual + total.lower50,
        upper50: actual + total.upper50,
        lower95: actual + total.lower95,
        upper95: actual + total.upper95,
      };
    });
}
