import { addDays, fromDayNumber, toDayNumber } from './dates.js';
import type { DailyCounts } from './ports.js';
import type { IsoDate } from './vocabulary.js';

/** What the history says about where the data stops. */
export interface DataEnd {
  /** The last day with any event (MQL, SQL or SQO) before the as-of date, or null for no history. */
  readonly lastDay: IsoDate | null;
  /** Days from the day after `lastDay` up to the as-of date, exclusive: days with no event at all. */
  readonly silentDays: number;
  /** Events the same weekdays of the recent weeks would have brought over the silent days. */
  readonly expectedEvents: number;
  /**
   * True when silence that long is implausible for this funnel (a Poisson chance under {@link STALE_CHANCE}): the
   * export stopped, the days are unknown rather than zero, and the forecast must start the day after `lastDay`.
   */
  readonly stale: boolean;
}

/** Silence less likely than this under the recent weekday rates means the data stopped, not the demand. */
export const STALE_CHANCE = 0.001;

/** Weeks of history whose same-weekday means say what a silent day should have brought. */
const RECENT_WEEKS = 8;

/**
 * Detects data that stops before the as-of date. A quiet Sunday is not stale data; five silent weekdays of a team
 * with dozens of leads a day are. Each silent day expects the mean of its weekday over the {@link RECENT_WEEKS}
 * weeks before the data's last day (events of every stage count: an export that stopped, stopped them all), and the
 * data is stale when no event at all over those days has a Poisson chance below {@link STALE_CHANCE}.
 */
export function detectDataEnd(daily: readonly DailyCounts[], asOf: IsoDate): DataEnd {
  let last = -Infinity;
  const asOfDay = toDayNumber(asOf);
  const byDay = new Map<number, number>();
  // Rows come grouped by date (a history's are sorted by it): a date's number is worked out when the date changes.
  let date: IsoDate | undefined;
  let rowDay = 0;
  for (const row of daily) {
    if (row.date !== date) rowDay = toDayNumber((date = row.date));
    if (rowDay >= asOfDay) continue;
    const events = row.mqls + row.sqls + row.sqos;
    if (events <= 0) continue;
    byDay.set(rowDay, (byDay.get(rowDay) ?? 0) + events);
    if (rowDay > last) last = rowDay;
  }
  if (last === -Infinity) return { lastDay: null, silentDays: 0, expectedEvents: 0, stale: false };
  const silentDays = asOfDay - last - 1;
  let expectedEvents = 0;
  for (let day = last + 1; day < asOfDay; day++) {
    // The same weekday in each of the recent weeks up to the last day with data.
    const latest = day - 7 * Math.ceil((day - last) / 7);
    let sum = 0;
    for (let week = 0; week < RECENT_WEEKS; week++) sum += byDay.get(latest - 7 * week) ?? 0;
    expectedEvents += sum / RECENT_WEEKS;
  }
  return { lastDay: fromDayNumber(last), silentDays, expectedEvents, stale: silentDays > 0 && Math.exp(-expectedEvents) < STALE_CHANCE };
}

/** The as-of date a forecast can honestly start from: the day after stale data stops, else the one asked for. */
export function effectiveAsOf(end: DataEnd, asOf: IsoDate): IsoDate {
  return end.stale && end.lastDay !== null ? addDays(end.lastDay, 1) : asOf;
}
