import {
  addDays,
  ConfigError,
  daysBetween,
  isIsoDate,
  startOfMonth,
  startOfNextMonth,
  startOfQuarter,
  type IsoDate,
  type Problem,
} from '@funnelcast/core';

/** The length of one backtest period: each origin forecasts the month or quarter that starts on it. */
export type BacktestPeriod = 'month' | 'quarter';

/** The backtest periods, for validation messages and the CLI's choices. */
export const BACKTEST_PERIODS: readonly BacktestPeriod[] = ['month', 'quarter'];

/** How many origins a backtest uses when none are named. */
export const DEFAULT_ORIGIN_COUNT = 6;

/** The first day of the period that starts at `origin` (itself, snapped to the period's calendar start). */
export function periodStart(origin: IsoDate, period: BacktestPeriod): IsoDate {
  return period === 'month' ? startOfMonth(origin) : startOfQuarter(origin);
}

/**
 * The first day after the month or quarter containing `origin` (exclusive end). An origin inside a period forecasts
 * the rest of it, as a mid-month refresh does.
 */
export function periodEnd(origin: IsoDate, period: BacktestPeriod): IsoDate {
  const start = periodStart(origin, period);
  return period === 'month' ? startOfNextMonth(start) : startOfNextMonth(startOfNextMonth(startOfNextMonth(start)));
}

/**
 * The starts of the last `count` full periods before `dataEnd` (the day after the latest data), oldest first: a
 * period is full when every one of its days is already in the data, so its actuals are final.
 */
export function lastFullPeriods(dataEnd: IsoDate, period: BacktestPeriod, count: number): IsoDate[] {
  let start = periodStart(dataEnd, period);
  // dataEnd itself may be a period start: then the period before it is the last full one.
  if (periodEnd(start, period) > dataEnd) start = periodStart(addDays(start, -1), period);
  const out: IsoDate[] = [];
  for (let i = 0; i < count; i++) {
    out.unshift(start);
    start = periodStart(addDays(start, -1), period);
  }
  return out;
}

/** Every period start from the period containing `from` to the one containing `to`, inclusive. */
export function periodsBetween(from: IsoDate, to: IsoDate, period: BacktestPeriod): IsoDate[] {
  const out: IsoDate[] = [];
  for (let start = periodStart(from, period); start <= to; start = periodEnd(start, period)) out.push(start);
  return out;
}

/** A `YYYY-MM` month (as `--from`/`--to` take it) as its first day, or `null` when it is not one. */
export function monthStart(month: string): IsoDate | null {
  const day = `${month}-01`;
  return /^\d{4}-\d{2}$/.test(month) && isIsoDate(day) ? day : null;
}

/**
 * Checks explicit origins against the data: each must be a calendar date whose whole period lies before `dataEnd`
 * (otherwise its actuals are incomplete) and after `dataStart` (otherwise there is nothing to fit on).
 * @throws ConfigError listing every bad origin.
 */
export function validateOrigins(origins: readonly IsoDate[], period: BacktestPeriod, dataStart: IsoDate, dataEnd: IsoDate): void {
  const problems: Problem[] = [];
  if (origins.length === 0) problems.push({ where: 'origins', message: 'no origins: name at least one, or a count from 1' });
  origins.forEach((origin, index) => {
    const where = `origins[${index}]`;
    if (!isIsoDate(origin)) {
      problems.push({ where, message: `${JSON.stringify(origin)} is not a calendar date written YYYY-MM-DD` });
      return;
    }
    if (origin <= dataStart) problems.push({ where, message: `${origin} leaves no history to fit: the data starts on ${dataStart}` });
    const end = periodEnd(origin, period);
    if (end > dataEnd) {
      problems.push({ where, message: `the ${period} from ${origin} ends on ${addDays(end, -1)}, after the latest data (${addDays(dataEnd, -1)}): its actuals are not complete` });
    }
  });
  if (new Set(origins).size !== origins.length) problems.push({ where: 'origins', message: 'lists an origin twice' });
  if (problems.length > 0) throw new ConfigError(problems, 'Invalid backtest origins:');
}

/** Days from `origin` to the end of its period: the forecast horizon of that origin. */
export function daysOf(origin: IsoDate, period: BacktestPeriod): number {
  return daysBetween(origin, periodEnd(origin, period));
}
