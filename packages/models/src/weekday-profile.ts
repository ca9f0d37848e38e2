import { dayOfWeek } from './day-of-week.js';

/** A flat week: every weekday at the average rate. */
const FLAT: readonly number[] = [1, 1, 1, 1, 1, 1, 1];

/** Below this many days or events a weekday profile is mostly noise, so the week stays flat. */
const MIN_PROFILE_DAYS = 28;
const MIN_PROFILE_EVENTS = 20;
/** Pseudo-events pulling each weekday toward the average: a weekday with few events stays near 1. */
const PROFILE_PRIOR_EVENTS = 5;
/** Only the last year shapes the profile: older weeks may follow an older routine. */
const PROFILE_LOOKBACK_DAYS = 364;

/**
 * A smoothed weekday profile: the multiplier of each weekday (0 = Sunday) relative to the weekly average, with
 * mean 1 over the seven days. Each weekday's ratio is shrunk toward 1 by a few pseudo-events, so a sparse series
 * gets a gentle profile rather than zeros on the days it happened not to see a lead.
 */
export function weekdayProfile(values: readonly number[], startDay: number): readonly number[] {
  const from = Math.max(0, values.length - PROFILE_LOOKBACK_DAYS);
  const sums = [0, 0, 0, 0, 0, 0, 0];
  const days = [0, 0, 0, 0, 0, 0, 0];
  let total = 0;
  for (let t = from; t < values.length; t++) {
    const d = dayOfWeek(startDay + t);
    const y = values[t] ?? 0;
    sums[d] = (sums[d] ?? 0) + y;
    days[d] = (days[d] ?? 0) + 1;
    total += y;
  }
  const observedDays = values.length - from;
  if (observedDays < MIN_PROFILE_DAYS || total < MIN_PROFILE_EVENTS) return FLAT;
  const rate = total / observedDays;
  const raw = sums.map((s, d) => (s + PROFILE_PRIOR_EVENTS) / ((days[d] ?? 0) * rate + PROFILE_PRIOR_EVENTS));
  const average = raw.reduce((a, b) => a + b, 0) / 7;
  return raw.map((r) => r / average);
}
