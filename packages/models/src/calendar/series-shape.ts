import { sameDate } from './calendar-alignment.js';
import { dayOfWeek } from './day-of-week.js';
import type { PooledCalendar } from './pooled-calendar.js';
import type { DayShape } from '../recent-rate/recent-rate.js';
import { recurringFactor, type RecurrenceRule } from './recurring-factor.js';
import { scanDepartures, type DepartureRule } from './weekday-contrast.js';
import { weekdayProfile } from './weekday-profile.js';

/**
 * A single series' day this far from its same-weekday neighbours is a special day (a trade show, a batch import),
 * not evidence about its level. Strict, because a series' counts are small: at five Poisson deviations and twice
 * the expectation, noise almost never qualifies.
 */
const SERIES_DEPARTURE: DepartureRule = { ratio: 2, z: 5 };
/**
 * A series' day recurs when, on the same date, every past year that can tell (at least two; a weekend expecting under
 * one event cannot) departs the same way on its own, and the years together beyond noise: less strict than one day's
 * {@link SERIES_DEPARTURE}, since noise rarely departs the same way twice.
 */
const SERIES_RECURRENCE: RecurrenceRule = {
  eachYear: { ratio: 1.5, z: 2 },
  together: { ratio: 2, z: 5 },
  minYears: 2,
  minExpected: 1,
  alignments: [sameDate],
};

/**
 * The day shape of one series, borrowing what it cannot see alone from the pooled calendar: its own weekday profile
 * shrunk toward the pooled one, the pooled yearly factor (when the year-ago window covers its history's end and the
 * whole horizon), and the multipliers of recurring special days in the horizon — its own, else the pooled ones.
 * Days left out of the fit: pooled calendar events, the series' own special days, and days with no yearly factor
 * when the yearly factor is used.
 */
export function seriesShape(values: readonly number[], startDay: number, horizon: number, calendar: PooledCalendar): DayShape {
  const n = values.length;
  const endDay = startDay + n;
  const pooledSkip = (index: number): boolean => calendar.excluded(startDay + index);
  const { contrast, departed: special } = scanDepartures(values, SERIES_DEPARTURE, pooledSkip);
  const excludedDay = (day: number): boolean => calendar.excluded(day) || special[day - startDay] === 1;
  const profile = weekdayProfile(values, startDay, { prior: calendar.weekday, excluded: excludedDay });
  const yearly = calendar.yearly(endDay - 1) !== undefined && calendar.yearly(endDay + horizon - 1) !== undefined;
  const contrastAt = (day: number) => contrast(day - startDay);
  // The series' own recurring days first (its trade shows); else the days all series lose together (holidays).
  const ahead = Array.from({ length: horizon }, (_, h) => {
    const own = recurringFactor(endDay + h, startDay, contrastAt, SERIES_RECURRENCE);
    return own !== 1 ? own : calendar.recurring(endDay + h);
  });
  return {
    factor: (day) => {
      const season = yearly ? (calendar.yearly(day) ?? 1) : 1;
      const recurring = day >= endDay ? (ahead[day - endDay] ?? 1) : 1;
      return (profile[dayOfWeek(day)] ?? 1) * season * recurring;
    },
    excluded: (day) => excludedDay(day) || (yearly && calendar.yearly(day) === undefined),
  };
}
