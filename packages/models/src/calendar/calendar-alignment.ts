import { daysFromCivil } from '@funnelcast/core';
import { dayOfWeek } from './day-of-week.js';

/** A way a day recurs from year to year: the day `years` years before it, or undefined when it has none. */
export type YearAlignment = (day: number, years: number) => number | undefined;

/**
 * Dates of days by integer arithmetic on the proleptic Gregorian calendar (Hinnant's `civil_from_days`, the inverse of
 * core's `daysFromCivil`, years starting in March): the same answers as `Date` in UTC, without a `Date` per call, for
 * the horizon days every series asks about.
 */
const DAYS_PER_ERA = 146_097;
const EPOCH_SHIFT = 719_468;

/** Year, month (0 = January) and day of the month of a day number. */
function parts(day: number): { readonly year: number; readonly month: number; readonly dayOfMonth: number } {
  const z = day + EPOCH_SHIFT;
  const era = Math.floor(z / DAYS_PER_ERA);
  const dayOfEra = z - era * DAYS_PER_ERA;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shiftedMonth = Math.floor((5 * dayOfYear + 2) / 153);
  const month = shiftedMonth < 10 ? shiftedMonth + 2 : shiftedMonth - 10;
  return { year: yearOfEra + era * 400 + (month <= 1 ? 1 : 0), month, dayOfMonth: dayOfYear - Math.floor((153 * shiftedMonth + 2) / 5) + 1 };
}

/**
 * The day number of a date (month 0 = January); a month past December (or before January) rolls into the next (or
 * previous) year.
 */
function dayNumber(year: number, month: number, dayOfMonth: number): number {
  const m = ((month % 12) + 12) % 12;
  return daysFromCivil(year + (month - m) / 12, m + 1, dayOfMonth);
}

/** The same calendar date (fixed-date holidays, trade-show weeks); 29 February has none. */
export const sameDate: YearAlignment = (day, years) => {
  const { year, month, dayOfMonth } = parts(day);
  if (month === 1 && dayOfMonth === 29) return undefined;
  return dayNumber(year - years, month, dayOfMonth);
};

/** The same n-th weekday of the month (Thanksgiving: the fourth Thursday of November); a fifth one may have none. */
export const sameNthWeekday: YearAlignment = (day, years) => {
  const { year, month, dayOfMonth } = parts(day);
  const first = dayNumber(year - years, month, 1);
  const aligned = first + ((dayOfWeek(day) - dayOfWeek(first) + 7) % 7) + 7 * Math.floor((dayOfMonth - 1) / 7);
  return parts(aligned).month === month ? aligned : undefined;
};

/** The same last weekday of the month (Memorial Day: the last Monday of May), for a day that is a last one. */
export const sameLastWeekday: YearAlignment = (day, years) => {
  const { year, month } = parts(day);
  if (parts(day + 7).month === month) return undefined;
  const last = dayNumber(year - years, month + 1, 1) - 1;
  return last - ((dayOfWeek(last) - dayOfWeek(day) + 7) % 7);
};

/**
 * Every alignment: how calendar-wide events (holidays) recur, by date or by weekday rule. A series' own events
 * (trade shows) are dated: a three-day show would also fall on "the fourth Tuesday" in some years by chance.
 */
export const YEAR_ALIGNMENTS: readonly YearAlignment[] = [sameDate, sameNthWeekday, sameLastWeekday];
