import type { IsoDate } from './vocabulary.js';

/**
 * Calendar arithmetic on ISO dates. Pure: these functions never read the clock — the as-of date always comes in
 * as an argument. UTC is used only as a zone-free calendar, never as "now".
 */

const MS_PER_DAY = 86_400_000;
const DASH = 45;
const ZERO = 48;

/** The number written by the `count` ASCII digits of `text` from `at`, or -1 when any of them is not a digit. */
function digits(text: string, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const digit = text.charCodeAt(i) - ZERO;
    if (!(digit >= 0 && digit <= 9)) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/**
 * Days since 1970-01-01 of a real calendar day written `YYYY-MM-DD`, or undefined. Read digit by digit rather than by a
 * regular expression and a Date: a refresh turns dates into day numbers hundreds of thousands of times. Years before
 * 100 are refused, as they always were here (`Date.UTC` reads them as 19xx, so they never matched themselves).
 */
function dayNumberOf(date: string): number | undefined {
  // Anything else is read as its text, as the regular expression this replaces did.
  const value = typeof date === 'string' ? date : String(date);
  if (value.length !== 10 || value.charCodeAt(4) !== DASH || value.charCodeAt(7) !== DASH) return undefined;
  const year = digits(value, 0, 4);
  const month = digits(value, 5, 2);
  const day = digits(value, 8, 2);
  if (year < 100 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return daysFromCivil(year, month, day);
}

/**
 * Days since 1970-01-01 of `year`-`month`-`day` (month 1–12) in the proleptic Gregorian calendar, unchecked: Howard
 * Hinnant's `days_from_civil`, with years starting in March so that 29 February ends them. The same answer as
 * `Date.UTC`, without a `Date`, for code that counts days by the hundred thousand.
 */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

function daysInMonth(year: number, month: number): number {
  if (month !== 2) return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
}

/** True when `value` is a real calendar day written `YYYY-MM-DD` (rejects `2024-02-30`). */
export function isIsoDate(value: string): boolean {
  return dayNumberOf(value) !== undefined;
}

/** Days since 1970-01-01 for an ISO date; throws a RangeError on anything that is not a real day. */
export function toDayNumber(date: IsoDate): number {
  const day = dayNumberOf(date);
  if (day === undefined) throw new RangeError(`not an ISO date (YYYY-MM-DD): ${JSON.stringify(date)}`);
  return day;
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
