import { dayOfWeek } from './day-of-week.js';

/** A flat week: every weekday at the average rate. */
export const FLAT_WEEK: readonly number[] = [1, 1, 1, 1, 1, 1, 1];

/** Below this many days or events a weekday profile is mostly noise, so the prior stands. */
const MIN_PROFILE_DAYS = 28;
const MIN_PROFILE_EVENTS = 20;
/** Pseudo-events pulling each weekday toward the prior: a weekday with few events stays near it. */
const PROFILE_PRIOR_EVENTS = 5;
/** Only the last year shapes the profile: older weeks may follow an older routine. */
const PROFILE_LOOKBACK_DAYS = 364;

/** What a weekday profile is shrunk toward, and which days it ignores. */
export interface ProfileOptions {
  /**
   * The profile a sparse series falls back to (mean 1), e.g. the pooled profile of its siblings.
   * @defaultValue {@link FLAT_WEEK}
   */
  readonly prior?: readonly number[];
  /**
   * Days (by day number) that say nothing about the week, such as holidays.
   * @defaultValue none
   */
  readonly excluded?: (day: number) => boolean;
}

/**
 * A smoothed weekday profile: the multiplier of each weekday (0 = Sunday) relative to the weekly average, with
 * mean 1 over the seven days. Each weekday's ratio is shrunk toward the prior by a few pseudo-events, so a sparse
 * series gets its prior's shape rather than zeros on the days it happened not to see a lead, while a busy series
 * keeps its own.
 */
export function weekdayProfile(values: readonly number[], startDay: number, options: ProfileOptions = {}): readonly number[] {
  const prior = options.prior ?? FLAT_WEEK;
  const excluded = options.excluded ?? (() => false);
  const sums = [0, 0, 0, 0, 0, 0, 0];
  const days = [0, 0, 0, 0, 0, 0, 0];
  let total = 0;
  let observedDays = 0;
  for (let t = Math.max(0, values.length - PROFILE_LOOKBACK_DAYS); t < values.length; t++) {
    if (excluded(startDay + t)) continue;
    const d = dayOfWeek(startDay + t);
    const y = values[t] ?? 0;
    sums[d] = (sums[d] ?? 0) + y;
    days[d] = (days[d] ?? 0) + 1;
    total += y;
    observedDays += 1;
  }
  if (observedDays < MIN_PROFILE_DAYS || total < MIN_PROFILE_EVENTS) return prior;
  const rate = total / observedDays;
  const raw = sums.map((s, d) => (s + PROFILE_PRIOR_EVENTS * (prior[d] ?? 1)) / ((days[d] ?? 0) * rate + PROFILE_PRIOR_EVENTS));
  const average = raw.reduce((a, b) => a + b, 0) / 7;
  return raw.map((r) => r / average);
}
