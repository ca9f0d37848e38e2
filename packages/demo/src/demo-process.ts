import { NotFoundError, combinationKey, combinationLabel, fromDayNumber, toDayNumber, type Combination, type IsoDate } from '@funnelcast/core';
import { lagPmf } from './lag-pmf.js';
import { resolveDemoOptions, type DemoOptions, type DemoProfile } from './demo-options.js';
import { demoProfileShape, type DemoSegmentShare } from './demo-profile-shape.js';
import { usHolidayDays } from './us-holidays.js';

/** One Channel × Source of the demo process. */
export interface DemoCombination extends Combination {
  /** The super-segments of its leads; shares sum to 1 (one combination is split between two segments). */
  readonly segments: readonly DemoSegmentShare[];
  /** Typical MQLs a day at the reference level (profile and scale applied), before calendar effects. */
  readonly baseMqlsPerDay: number;
  /** Typical MQL→SQL probability (it drifts gently over time). */
  readonly sqlRate: number;
  /** SQL→SQO probability. */
  readonly sqoRate: number;
  /** A few leads a month whatever the profile and scale. */
  readonly sparse: boolean;
  /** First day it can have leads (a channel launched recently), or null. */
  readonly launch: IsoDate | null;
  /** First day it has no more leads (a channel retired), or null. */
  readonly retire: IsoDate | null;
}

/** A super-segment × Channel × Source: the finest grain the warehouse keeps, and the unit of every count grid. */
export interface DemoCell extends Combination {
  readonly superSegment: string;
  /** Index into {@link DemoProcess.combinations}. */
  readonly combination: number;
  /** Share of the combination's leads in this segment. */
  readonly share: number;
}

/** What the process expects of one combination on one day. */
export interface DemoExpectation {
  /** Expected MQLs (the Poisson mean). */
  readonly mqls: number;
  /** Probability that an MQL of that day becomes an SQL (within {@link DemoProcess.sqlLag}'s days). */
  readonly sqlRate: number;
  /** Probability that an SQL becomes an SQO (within {@link DemoProcess.sqoLag}'s days). */
  readonly sqoRate: number;
}

/**
 * The demo's data-generating process: MQLs of combination `c` on day `d` are Poisson with mean
 * {@link DemoProcess.mqlMean}; each MQL independently becomes an SQL with probability {@link DemoProcess.sqlRateAt}
 * after a lag drawn from {@link DemoProcess.sqlLag}, and each SQL an SQO with the combination's `sqoRate` after a lag
 * drawn from {@link DemoProcess.sqoLag}. It is seed-free: the seed only picks a realisation.
 */
export interface DemoProcess {
  readonly start: IsoDate;
  readonly end: IsoDate;
  readonly profile: DemoProfile;
  readonly scale: number;
  readonly combinations: readonly DemoCombination[];
  readonly cells: readonly DemoCell[];
  /** MQL→SQL lag pmf on days `0 … 30` (sums to 1). */
  readonly sqlLag: readonly number[];
  /** SQL→SQO lag pmf on days `0 … 45` (sums to 1). */
  readonly sqoLag: readonly number[];
  /** Expected MQLs, SQL rate and SQO rate of a combination on a date (zero MQLs before `start`). */
  expected(date: IsoDate, combination: Combination): DemoExpectation;
  /** Fast path of {@link DemoProcess.expected}: expected MQLs by day number and combination index. */
  mqlMean(day: number, combination: number): number;
  /** Fast path of {@link DemoProcess.expected}: the MQL→SQL probability by day number and combination index. */
  sqlRateAt(day: number, combination: number): number;
}

// Mon … Fri shape; weekends come from each channel's own level.
const WEEKDAY_SHAPE = [1.08, 1.12, 1.1, 1.04, 0.86];
const HOLIDAY_FACTOR = 0.25;
const TREND_PER_YEAR = 0.1;
const LAUNCH_RAMP_DAYS = 21;
const RETIRE_TAPER_DAYS = 28;
const BURST_FACTOR = 4;
// Trade-show weeks (month, first day, days): spring, early summer, autumn conference seasons.
const BURSTS: readonly (readonly [number, number, number])[] = [[3, 12, 3], [6, 10, 3], [9, 17, 3], [10, 22, 3]];
const SQL_RATE_WOBBLE = 0.08;
const SQL_RATE_PERIOD = 540;

/** Weekly multipliers by day of week (0 = Sunday), averaging exactly 1 over a week. */
function weeklyFactors(weekend: number): number[] {
  const raw = [0.8 * weekend, ...WEEKDAY_SHAPE, weekend];
  const mean = raw.reduce((sum, value) => sum + value, 0) / 7;
  return raw.map((value) => value / mean);
}

// A Gaussian bump on the circular day-of-year scale.
function bump(dayOfYear: number, centre: number, width: number): number {
  const raw = Math.abs(dayOfYear - centre);
  const distance = Math.min(raw, 365.25 - raw);
  return Math.exp(-0.5 * (distance / width) ** 2);
}

/** Yearly seasonality: a spring high, a summer dip and a deep late-December dip. */
function yearlyFactor(dayOfYear: number): number {
  return (
    1 +
    0.06 * Math.cos((2 * Math.PI * (dayOfYear - 80)) / 365.25) -
    0.2 * bump(dayOfYear, 215, 22) -
    0.45 * bump(dayOfYear, 361, 5)
  );
}

/** The demo's process for these options (the seed is ignored: the process is the same for every realisation). */
export function demoProcess(options: DemoOptions): DemoProcess {
  const resolved = resolveDemoOptions(options);
  const endDay = toDayNumber(resolved.end);
  const shape = demoProfileShape(resolved.profile, endDay);
  const specs = shape.specs;
  const startDay = Math.max(toDayNumber(resolved.start), shape.firstDay ?? -Infinity);
  const trendAnchor = endDay - 365;

  const combinations: DemoCombination[] = specs.map((spec) => ({
    channel: spec.channel,
    source: spec.source,
    segments: spec.segments,
    baseMqlsPerDay: spec.sparse ? spec.mqls : spec.mqls * shape.factor * resolved.scale,
    sqlRate: spec.sqlRate,
    sqoRate: spec.sqoRate,
    sparse: spec.sparse ?? false,
    launch: spec.launchDaysBeforeEnd === undefined ? null : fromDayNumber(endDay - spec.launchDaysBeforeEnd),
    retire: spec.retireDaysBeforeEnd === undefined ? null : fromDayNumber(endDay - spec.retireDaysBeforeEnd),
  }));
  const cells: DemoCell[] = combinations.flatMap((combination, index) =>
    combination.segments.map((segment) => ({
      superSegment: segment.superSegment,
      channel: combination.channel,
      source: combination.source,
      combination: index,
      share: segment.share,
    })),
  );
  const weekly = specs.map((spec) => weeklyFactors(spec.weekend));
  const indexByKey = new Map(combinations.map((combination, index) => [combinationKey(combination), index]));

  // Calendar effects shared by every channel, cached per day number.
  const calendarCache = new Map<number, { dow: number; common: number; burst: boolean }>();
  const holidaysByYear = new Map<number, ReadonlySet<number>>();
  const calendar = (day: number) => {
    let entry = calendarCache.get(day);
    if (entry) return entry;
    const date = new Date(day * 86_400_000);
    const year = date.getUTCFullYear();
    const month = date.getUTCMonth() + 1;
    const dayOfMonth = date.getUTCDate();
    let holidays = holidaysByYear.get(year);
    if (!holidays) {
      holidays = new Set(usHolidayDays(year));
      holidaysByYear.set(year, holidays);
    }
    const dayOfYear = day - Math.round(Date.UTC(year, 0, 1) / 86_400_000) + 1;
    const common =
      yearlyFactor(dayOfYear) *
      Math.exp((TREND_PER_YEAR * (day - trendAnchor)) / 365.25) *
      (holidays.has(day) ? HOLIDAY_FACTOR : 1);
    const burst = BURSTS.some(([m, first, length]) => month === m && dayOfMonth >= first && dayOfMonth < first + length);
    entry = { dow: date.getUTCDay(), common, burst };
    calendarCache.set(day, entry);
    return entry;
  };

  const launchDays = combinations.map((c) => (c.launch === null ? null : toDayNumber(c.launch)));
  const retireDays = combinations.map((c) => (c.retire === null ? null : toDayNumber(c.retire)));

  const lifecycle = (day: number, index: number): number => {
    const launch = launchDays[index];
    const retire = retireDays[index];
    let level = 1;
    if (launch !== null && launch !== undefined) {
      if (day < launch) return 0;
      level = Math.min(level, (day - launch + 1) / (specs[index]?.launchRampDays ?? LAUNCH_RAMP_DAYS));
    }
    if (retire !== null && retire !== undefined) {
      if (day >= retire) return 0;
      level = Math.min(level, (retire - day) / RETIRE_TAPER_DAYS);
    }
    return level;
  };

  const mqlMean = (day: number, index: number): number => {
    const spec = specs[index];
    const combination = combinations[index];
    if (!spec || !combination) throw new RangeError(`no demo combination #${index}`);
    if (day < startDay) return 0;
    const life = lifecycle(day, index);
    if (life === 0) return 0;
    const { dow, common, burst } = calendar(day);
    const [amplitude, period, phase] = spec.drift;
    const drift = Math.exp(amplitude * Math.sin((2 * Math.PI * (day - endDay)) / period + phase));
    const bursts = spec.bursts && burst ? BURST_FACTOR : 1;
    const mean = combination.baseMqlsPerDay * (weekly[index]?.[dow] ?? 1) * common * drift * bursts * life;
    return shape.mqlLevel ? mean * shape.mqlLevel(day) : mean;
  };

  const sqlRateAt = (day: number, index: number): number => {
    const spec = specs[index];
    if (!spec) throw new RangeError(`no demo combination #${index}`);
    const wobble = 1 + SQL_RATE_WOBBLE * Math.sin((2 * Math.PI * (day - endDay)) / SQL_RATE_PERIOD + spec.drift[2]);
    const rate = spec.sqlRate * wobble;
    return Math.min(0.95, shape.sqlRateFactor ? rate * shape.sqlRateFactor(day) : rate);
  };

  return {
    start: resolved.start,
    end: resolved.end,
    profile: resolved.profile,
    scale: resolved.scale,
    combinations,
    cells,
    sqlLag: lagPmf({ sameDay: 0.2, shape: 1.6, scale: 5, maxLag: 30 }),
    sqoLag: lagPmf({ sameDay: 0.08, shape: 2, scale: 6, maxLag: 45 }),
    expected(date, combination) {
      const index = indexByKey.get(combinationKey(combination));
      if (index === undefined) {
        throw new NotFoundError('demo combination', combinationLabel(combination), combinations.map(combinationLabel));
      }
      const day = toDayNumber(date);
      return { mqls: mqlMean(day, index), sqlRate: sqlRateAt(day, index), sqoRate: combinations[index]?.sqoRate ?? 0 };
    },
    mqlMean,
    sqlRateAt,
  };
}
