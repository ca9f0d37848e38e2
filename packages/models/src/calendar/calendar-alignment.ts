import { dayOfWeek } from './day-of-week.js';

const MS_PER_DAY = 86_400_000;

/** A way a day recurs from year to year: the day `years` years before it, or undefined when it has none. */
export type YearAlignment = (day: number, years: number) => number | undefined;

function parts(day: number): { readonly year: number; readonly month: number; readonly dayOfMonth: number } {
  const date = new Date(day * MS_PER_DAY);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth(), dayOfMonth: date.getUTCDate() };
}

const dayNumber = (year: number, month: number, dayOfMonth: number): number => Math.round(Date.UTC(year, month, dayOfMonth) / MS_PER_DAY);

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
