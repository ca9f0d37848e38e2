import type { ProductionRow } from './columns.js';
import { totalDistribution } from './total-distribution.js';
import { STAGES, type IsoDate, type Stage } from './vocabulary.js';

/**
 * One stage's total over some production rows on one day: what happened on an ACTUAL day, the forecast and the
 * bounds of its total on a FORECAST day. What the report's fan charts and `forecast --chart` draw.
 */
export interface DailyTotal {
  readonly date: IsoDate;
  readonly stage: Stage;
  /** Null on FORECAST days. */
  readonly actual: number | null;
  /** The rest are null on ACTUAL days. */
  readonly forecast: number | null;
  readonly lower50: number | null;
  readonly upper50: number | null;
  readonly lower95: number | null;
  readonly upper95: number | null;
}

interface DaySum {
  forecastDay: boolean;
  actual: number;
  mean: number;
  ownVariance: number;
  sharedSd: number;
}

/**
 * Daily totals per stage of `rows` (any subset: everything, a super-segment's combinations, one combination), sorted
 * by date then stage. A day's bounds come from {@link totalDistribution} of the rows' summed moments, as landings'
 * do, so a total's band is never the sum of its cells' bounds.
 */
export function dailyTotals(rows: readonly ProductionRow[]): DailyTotal[] {
  const days = new Map<IsoDate, Record<Stage, DaySum>>();
  for (const row of rows) {
    let day = days.get(row.date_day);
    if (!day) {
      const empty = (): DaySum => ({ forecastDay: false, actual: 0, mean: 0, ownVariance: 0, sharedSd: 0 });
      days.set(row.date_day, (day = { mqls: empty(), sqls: empty(), sqos: empty() }));
    }
    for (const stage of STAGES) {
      const sum = day[stage];
      sum.forecastDay ||= row.data_type === 'FORECAST';
      sum.actual += row[`${stage}_actual`] ?? 0;
      sum.mean += row[`${stage}_forecast`] ?? 0;
      sum.ownVariance += row[`${stage}_own_var`] ?? 0;
      sum.sharedSd += row[`${stage}_shared_sd`] ?? 0;
    }
  }
  return [...days.keys()].sort().flatMap((date) =>
    STAGES.map((stage): DailyTotal => {
      const sum = days.get(date)![stage];
      if (!sum.forecastDay) {
        return { date, stage, actual: sum.actual, forecast: null, lower50: null, upper50: null, lower95: null, upper95: null };
      }
      const total = totalDistribution({ mean: sum.mean, ownVariance: sum.ownVariance, sharedSd: sum.sharedSd });
      return {
        date,
        stage,
        actual: null,
        forecast: total.mean,
        lower50: total.lower50,
        upper50: total.upper50,
        lower95: total.lower95,
        upper95: total.upper95,
      };
    }),
  );
}
