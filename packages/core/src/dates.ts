import type { IsoDate } from './vocabulary.js';

/**
 * Calendar arithmetic on ISO dates. Pure: these functions never read the clock — the as-of date always comes in
 * as an argument. UTC is used only as a zone-free calendar, never as "now".
 */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/** True when `value` is a real calendar day written `YYYY-MM-DD` (rejects `2024-02-30`). */
export function isIsoDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [, y, m, d] = match;
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  return date.getUTCFullYear() === Number(y) && date.getUTCMonth() === Number(m) - 1 && date.getUTCDate() === Number(d);
}

/** Days since 1970-01-01 for an ISO date; throws a RangeError on anything that is not a real day. */
export function toDayNumber(date: IsoDate): number {
  if (!isIsoDate(date)) throw new RangeError(`not an ISO date (YYYY-MM-DD): ${JSON.stringify(date)}`);
  return Math.round(Date.parse(`${date}T00:00:00Z`) / MS_PER_DAY);
}

/**
 * The calendar day in UTC of an instant. Core reads no clock: the edges pass their clock's `new Date()` in, and every
 * edge names "today" the same way (a refresh's default as-of date, the newest date a lead may carry).
 */
export function todayUtc(now: Date): IsoDate {
  return now.toISOString().slice(0, 10);
}

/** The as-of date of a request: the one it names, else today (UTC) by the edge's clock. */
export function asOfOrToday(asOf: IsoDate | undefined, now: Date): IsoDate {
  return asOf ?? todayUtc(now);
}

/** The ISO date of a day number (inverse of {@link toDayNumber}). */
export function fromDayNumber(day: number): IsoDate {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** `date` moved by `days` (negative moves back). */
export function addDays(date: IsoDate, days: number): IsoDate {
  return fromDayNumber(toDayNumber(date) + days);
}

/** Whole days from `from` to `to` (`to − from`). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return toDayNumber(to) - toDayNumber(from);
}

/** Every date in `[from, to)`. */
export function dateRange(from: IsoDate, to: IsoDate): IsoDate[] {
  const start = toDayNumber(from);
  const end = toDayNumber(to);
  const out: IsoDate[] = [];
  for (let day = start; day < end; day++) out.push(fromDayNumber(day));
  return out;
}

/** Calendar parts of a date; `dayOfWeek` is 0 = Sunday … 6 = Saturday. */
export interface CalendarParts {
  readonly year: number;
  readonly quarter: number;
  readonly month: number;
  readonly dayOfMonth: number;
  readonly dayOfWeek: number;
  readonly dayOfYear: number;
}

/** The calendar parts of `date`. */
export function calendarParts(date: IsoDate): CalendarParts {
  const d = new Date(toDayNumber(date) * MS_PER_DAY);
  const year = d.getUTCFullYear();
  const month = d.getUTCMonth() + 1;
  return {
    year,
    quarter: Math.floor((month - 1) / 3) + 1,
    month,
    dayOfMonth: d.getUTCDate(),
    dayOfWeek: d.getUTCDay(),
    dayOfYear: toDayNumber(date) - toDayNumber(`${year}-01-01`) + 1,
  };
}

/** The first day of the month containing `date`. */
export function startOfMonth(date: IsoDate): IsoDate {
  return `${date.slice(0, 8)}01`;
}

/** The first day of the quarter containing `date`. */
export function startOfQuarter(date: IsoDate): IsoDate {
  const { year, quarter } = calendarParts(date);
  return `${year}-${String((quarter - 1) * 3 + 1).padStart(2, '0')}-01`;
}

/** The first day of the quarter before the one containing `date`. */
export function startOfPreviousQuarter(date: IsoDate): IsoDate {
  return startOfQuarter(addDays(startOfQuarter(date), -1));
}

/** The first day of the month after the one containing `date`. */
export function startOfNextMonth(date: IsoDate): IsoDate {
  return startOfMonth(addDays(startOfMonth(date), 31));
}

/** `a < b` ? -1 : `a > b` ? 1 : 0 — ISO dates order as strings. */
export function compareDates(a: IsoDate, b: IsoDate): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
