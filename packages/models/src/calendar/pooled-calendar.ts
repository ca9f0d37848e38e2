import { YEAR_ALIGNMENTS } from './calendar-alignment.js';
import { dayOfWeek } from './day-of-week.js';
import { recurringFactor, type RecurrenceRule } from './recurring-factor.js';
import { shrinkBeyondNoise } from '../dispersion/shrink-beyond-noise.js';
import { scanDepartures, type DepartureRule, type DepartureScan } from './weekday-contrast.js';
import { mstlWeeklyProfile } from './mstl-weekly.js';
import { FLAT_WEEK } from './weekday-profile.js';

/** One series placed on the calendar: its first day (day number) and its daily counts. */
export interface CalendarSeries {
  readonly startDay: number;
  readonly values: readonly number[];
}

/** What all the series of a request share: their week, the days that broke it, and the season of the year. */
export interface PooledCalendar {
  /**
   * Weekday profile of the series together (0 = Sunday), mean 1, from an MSTL decomposition of their sum: what each
   * series' own profile is shrunk toward.
   */
  readonly weekday: readonly number[];
  /** True for a day on which the series together fell or jumped far from their usual level (a holiday, an outage). */
  excluded(day: number): boolean;
  /**
   * The yearly factor of a day (geometric mean about 1): the level of the same weeks one year earlier, or undefined
   * where the history holds no such year-ago window.
   */
  yearly(day: number): number | undefined;
  /** The multiplier of a day that every past year lost (or gained) together, such as a holiday; else 1. */
  recurring(day: number): number;
}

/**
 * A pooled day this far from its same-weekday neighbours is a calendar event, not a level: half (or twice) its
 * neighbours, so a season's slope between them never qualifies, at three deviations, which pooled counts reach.
 */
const POOLED_DEPARTURE: DepartureRule = { ratio: 2, z: 3 };
/** A pooled calendar event recurs when it was one in every past year that tells, at least two. */
const POOLED_RECURRENCE: RecurrenceRule = {
  eachYear: POOLED_DEPARTURE,
  together: POOLED_DEPARTURE,
  minYears: 2,
  minExpected: 1,
  alignments: YEAR_ALIGNMENTS,
};
/** 52 weeks, not 365 days: the year-ago day is the same weekday, and holidays set by weekday rules line up. */
export const YEAR_DAYS = 364;
/**
 * Half-width of the window the year-ago level is averaged over. Eight weeks in all: wide enough that a small
 * team's pooled counts give a steady level, narrow enough to keep a summer dip.
 */
const YEARLY_HALF_WINDOW = 28;
/** Half-width of the week whose departure from the eight-week level is a short season. */
const SHORT_HALF_WINDOW = 3;
/** A week's departure is kept only where it is well beyond its noise: `SHORT_SHRINK` noise variances and more. */
const SHORT_SHRINK = 4;
/** A series joins the yearly level only if it spans the pooled history: a launch or retirement is not a season. */
const SPAN_SLACK_DAYS = 28;

/** Day-by-day totals of the series together over `days` days from `firstDay` (days outside are left out). */
export function pooledTotals(series: readonly CalendarSeries[], firstDay: number, days: number): Float64Array {
  const totals = new Float64Array(days);
  for (const s of series) {
    const offset = s.startDay - firstDay;
    // Only the days that land in the window: a plain loop over them, not a callback per day of every series.
    for (let t = Math.max(0, -offset); t < s.values.length && offset + t < days; t++) totals[offset + t] = (totals[offset + t] ?? 0) + (s.values[t] ?? 0);
  }
  return totals;
}

/** Weekday-adjusted pooled events per day over `[centre − half, centre + half]`, excluded days left out. */
function windowLevel(
  totals: Float64Array,
  firstDay: number,
  weekday: readonly number[],
  excluded: (index: number) => boolean,
  centre: number,
  half: number,
): { readonly events: number; readonly level: number } {
  let events = 0;
  let expected = 0;
  for (let t = centre - half; t <= centre + half; t++) {
    if (excluded(t)) continue;
    events += totals[t] ?? 0;
    expected += weekday[dayOfWeek(firstDay + t)] ?? 1;
  }
  return { events, level: expected > 0 ? events / expected : 0 };
}

/**
 * The yearly level, on the log scale around its mean, for each day whose eight-week window lies in the history.
 *
 * Two scales: the eight-week level (weekday-adjusted pooled events per day, excluded days left out), and a week's
 * departure from it, which holds the short seasons (the weeks around New Year, the edges of a summer dip). The
 * window's Poisson noise (`1/events` on the log scale) would pass straight into every forecast, so each is shrunk:
 * the eight-week curve toward flat by the share of its variance that is signal, `λ = max(0, 1 − mean noise /
 * variance)` (a small team's noisy year counts for less than a large one's), and each week's departure `r` toward
 * none by `max(0, 1 − c·noise / r²)` with `c` = {@link SHORT_SHRINK}, which keeps only departures well beyond the noise.
 */
function yearlyLevel(
  totals: Float64Array,
  firstDay: number,
  weekday: readonly number[],
  excluded: (index: number) => boolean,
): Map<number, number> {
  const long = new Map<number, number>();
  const short = new Map<number, number>();
  let noise = 0;
  for (let centre = YEARLY_HALF_WINDOW; centre < totals.length - YEARLY_HALF_WINDOW; centre++) {
    const wide = windowLevel(totals, firstDay, weekday, excluded, centre, YEARLY_HALF_WINDOW);
    if (!(wide.events > 0)) continue;
    long.set(firstDay + centre, Math.log(wide.level));
    noise += 1 / wide.events;
    const week = windowLevel(totals, firstDay, weekday, excluded, centre, SHORT_HALF_WINDOW);
    const departure = week.events > 0 ? Math.log(week.level / wide.level) : 0;
    const shortNoise = 1 / Math.max(week.events, 1);
    short.set(firstDay + centre, shrinkBeyondNoise(departure, shortNoise, SHORT_SHRINK));
  }
  const values = [...long.values()];
  if (values.length === 0) return long;
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length;
  const signalShare = variance > 0 ? Math.max(0, 1 - noise / values.length / variance) : 0;
  const out = new Map<number, number>();
  for (const [day, value] of long) out.set(day, Math.exp(signalShare * (value - mean) + (short.get(day) ?? 0)));
  return out;
}

/**
 * What the series of one request share, estimated on their sum, where the counts are large enough to see it:
 *
 * - **excluded days**: days the pooled count departs sharply from the same weekday in the weeks around it
 *   (holidays, outages). They would bias every series' weekday profile and level, so they are left out of fits;
 * - **the weekday profile**: the weekly component augurs' MSTL finds in the pooled counts (events imputed at their
 *   neighbours' level; {@link mstlWeeklyProfile}), the prior each series' own profile is shrunk toward;
 * - **the yearly factor** of a day: the pooled level of the same weeks a year before ({@link YEAR_DAYS}), so a
 *   forecast made after a summer dip expects the recovery the previous year showed. It is read from the series
 *   that span the whole pooled history (all of them if none does), so a launch is not mistaken for a season;
 * - **recurring days**: a day whose every past instance (same date, or same n-th or last weekday of the month) was
 *   an excluded day the same way gets their ratio to the neighbours — holidays are forecast, not just skipped.
 */
export function pooledCalendar(series: readonly CalendarSeries[]): PooledCalendar {
  const present = series.filter((s) => s.values.length > 0);
  if (present.length === 0) {
    return { weekday: FLAT_WEEK, excluded: () => false, yearly: () => undefined, recurring: () => 1 };
  }
  const firstDay = Math.min(...present.map((s) => s.startDay));
  const endDay = Math.max(...present.map((s) => s.startDay + s.values.length));
  const totals = pooledTotals(present, firstDay, endDay - firstDay);
  const { contrast, departed: skipped } = scanDepartures(totals, POOLED_DEPARTURE);
  // The decomposition sees the events at their neighbours' level, so a holiday does not dent the week.
  const imputed = totals.map((y, t) => (skipped[t] === 1 ? (contrast(t)?.expected ?? y) : y));
  const weekday = mstlWeeklyProfile(imputed, firstDay);
  const spanning = present.filter(
    (s) => s.startDay - firstDay <= SPAN_SLACK_DAYS && s.values.slice(-SPAN_SLACK_DAYS).some((y) => y > 0) && s.startDay + s.values.length === endDay,
  );
  const yearlyTotals = spanning.length > 0 && spanning.length < present.length ? pooledTotals(spanning, firstDay, totals.length) : totals;
  // Every series reads the yearly factor of each of its days, twice: by index, not by map lookup.
  const level = new Float64Array(totals.length);
  const hasLevel = new Uint8Array(totals.length);
  for (const [day, value] of yearlyLevel(yearlyTotals, firstDay, weekday, (t) => skipped[t] === 1)) {
    level[day - firstDay] = value;
    hasLevel[day - firstDay] = 1;
  }
  return new ScannedCalendar(weekday, firstDay, skipped, level, hasLevel, contrast);
}

/**
 * The {@link PooledCalendar} of series that have days. A class, not an object of closures: every series calls its
 * methods for each of its days, and the optimised callers stay valid from one request's calendar to the next only
 * when the methods are the same functions.
 */
class ScannedCalendar implements PooledCalendar {
  /** Every series asks for the same horizon days: each is worked out once. */
  private readonly recurringByDay = new Map<number, number>();

  constructor(
    readonly weekday: readonly number[],
    private readonly firstDay: number,
    private readonly skipped: Uint8Array,
    private readonly level: Float64Array,
    private readonly hasLevel: Uint8Array,
    private readonly contrast: DepartureScan['contrast'],
  ) {}

  excluded(day: number): boolean {
    return this.skipped[day - this.firstDay] === 1;
  }

  yearly(day: number): number | undefined {
    const index = day - YEAR_DAYS - this.firstDay;
    return this.hasLevel[index] === 1 ? this.level[index] : undefined;
  }

  recurring(day: number): number {
    let factor = this.recurringByDay.get(day);
    if (factor === undefined) {
      factor = recurringFactor(day, this.firstDay, (past) => this.contrast(past - this.firstDay), POOLED_RECURRENCE);
      this.recurringByDay.set(day, factor);
    }
    return factor;
  }
}
