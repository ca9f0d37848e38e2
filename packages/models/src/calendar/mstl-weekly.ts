import { loadMstl } from '../augurs/augurs-wasm.js';
import { centredTrend } from './centred-trend.js';
import { dayOfWeek } from './day-of-week.js';
import { FLAT_WEEK, weekdayProfile } from './weekday-profile.js';

const PERIOD = 7;
/** STL needs at least two full cycles. */
const MIN_DAYS = 2 * PERIOD;
/** Only the last year shapes the week: older weeks may follow an older routine. */
const LOOKBACK_DAYS = 364;
/** No weekday is put below this share of the average: a factor of zero would make its counts impossible. */
const MIN_FACTOR = 0.02;

/**
 * The weekly seasonal shape of a history's last year, as augurs' MSTL (period 7, AutoETS trend) decomposes it: the
 * multiplier of each weekday (0 = Sunday) relative to the weekly average, mean 1.
 *
 * augurs exposes fitted values, not components, so the shape is read off them: a fitted day is the trend plus the
 * weekly component, and a centred seven-day mean recovers the trend where it is locally linear (the weekly
 * component sums to about zero over a week). Each day's fitted value over its centred mean is a factor of its
 * weekday, averaged over the last year. A history shorter than two weeks, or with no positive trend, is flat; one
 * augurs cannot fit ("no model found") gets the plain weekday means of its last year instead, so one odd pooled
 * series never sinks a whole request.
 */
export function mstlWeeklyProfile(values: ArrayLike<number>, startDay: number): readonly number[] {
  const n = values.length;
  if (n < MIN_DAYS) return FLAT_WEEK;
  const model = loadMstl().MSTL.ets([PERIOD]);
  let fitted: readonly number[];
  try {
    model.fit(Float64Array.from(values));
    fitted = model.predictInSample().point;
  } catch {
    return weekdayProfile(Array.from(values), startDay);
  } finally {
    model.free();
  }
  const sums = [0, 0, 0, 0, 0, 0, 0];
  const counts = [0, 0, 0, 0, 0, 0, 0];
  for (const { t, trend } of centredTrend(fitted, PERIOD)) {
    if (t < n - LOOKBACK_DAYS || !(trend > 0)) continue;
    const d = dayOfWeek(startDay + t);
    sums[d] = (sums[d] ?? 0) + (fitted[t] ?? 0) / trend;
    counts[d] = (counts[d] ?? 0) + 1;
  }
  if (counts.some((c) => c === 0)) return FLAT_WEEK;
  const raw = sums.map((s, d) => Math.max(MIN_FACTOR, s / (counts[d] ?? 1)));
  const average = raw.reduce((a, b) => a + b, 0) / PERIOD;
  return raw.map((r) => r / average);
}
