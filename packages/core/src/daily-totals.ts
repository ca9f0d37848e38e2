import type { ProductionRow } from './columns.js';
import { landings } from './landings.js';
import type { IsoDate, Stage } from './vocabulary.js';

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

/**
 * Daily totals per stage of `rows` (any subset: everything, a super-segment's combinations, one combination), sorted
 * by date then stage: the day landings of {@link landings}, so a total's band is never the sum of its cells' bounds.
 * Forecast rows carry no actuals, so a forecast day's landing bounds are its forecast's.
 */
export function dailyTotals(rows: readonly ProductionRow[]): DailyTotal[] {
  const forecastDays = new Set(rows.filter((row) => row.data_type === 'FORECAST').map((row) => row.date_day));
  return landings(rows, 'day').map((day): DailyTotal => {
    const { periodStart: date, stage } = day;
    if (!forecastDays.has(date)) return { date, stage, actual: day.actual, forecast: null, lower50: null, upper50: null, lower95: null, upper95: null };
    return { date, stage, actual: null, forecast: day.forecast, lower50: day.lower50, upper50: day.upper50, lower95: day.lower95, upper95: day.upper95 };
  });
}
