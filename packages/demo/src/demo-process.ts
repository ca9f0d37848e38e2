import { NotFoundError, combinationKey, combinationLabel, fromDayNumber, toDayNumber, type Combination, type IsoDate } from '@funnelcast/core';
import { lagPmf } from './lag-pmf.js';
import { resolveDemoOptions, type DemoOptions, type DemoProfile } from './demo-options.js';
import { usHolidayDays } from './us-holidays.js';

/** A super-segment a combination's leads fall into, and the share of its leads that do. */
export interface DemoSegmentShare {
  readonly superSegment: string;
  readonly share: number;
}

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

interface Spec {
  readonly channel: string;
  readonly source: string;
  readonly segments: readonly DemoSegmentShare[];
  /** MQLs a day in the small profile. */
  readonly mqls: number;
  readonly sqlRate: number;
  readonly sqoRate: number;
  /** Weekend level relative to an average weekday (web traffic keeps some, sales-driven channels almost none). */
  readonly weekend: number;
  /** Channel-mix drift: amplitude (log scale), period in days and phase in radians. */
  readonly drift: readonly [number, number, number];
  readonly sparse?: boolean;
  readonly launchDaysBeforeEnd?: number;
  readonly retireDaysBeforeEnd?: number;
  /** Trade-show weeks: MQLs multiply on these days of every year. */
  readonly bursts?: boolean;
}

const only = (superSegment: string): DemoSegmentShare[] => [{ superSegment, share: 1 }];
const INBOUND = only('Inbound_Marketing');
const OUTBOUND = only('Outbound');
const PARTNERS = only('Partnerships_Referrals');
const OTHER = only('Other');

const SPECS: readonly Spec[] = [
  { channel: 'Paid Search', source: 'google', segments: INBOUND, mqls: 0.85, sqlRate: 0.27, sqoRate: 0.42, weekend: 0.45, drift: [0.15, 610, 0.3] },
  { channel: 'Paid Search', source: 'bing', segments: INBOUND, mqls: 0.2, sqlRate: 0.24, sqoRate: 0.38, weekend: 0.4, drift: [0.2, 430, 2.1] },
  { channel: 'Paid Social', source: 'linkedin', segments: INBOUND, mqls: 0.5, sqlRate: 0.3, sqoRate: 0.4, weekend: 0.25, drift: [0.25, 720, 4.0] },
  { channel: 'Paid Social', source: 'facebook', segments: INBOUND, mqls: 0.22, sqlRate: 0.16, sqoRate: 0.3, weekend: 0.6, drift: [0.2, 520, 1.2] },
  { channel: 'Paid Social', source: 'tiktok', segments: INBOUND, mqls: 0.3, sqlRate: 0.14, sqoRate: 0.28, weekend: 0.7, drift: [0, 365, 0], launchDaysBeforeEnd: 61 },
  { channel: 'Display', source: 'adroll', segments: INBOUND, mqls: 0.2, sqlRate: 0.12, sqoRate: 0.3, weekend: 0.5, drift: [0.1, 400, 5.0], retireDaysBeforeEnd: 243 },
  { channel: 'Organic Search', source: 'google', segments: INBOUND, mqls: 0.95, sqlRate: 0.3, sqoRate: 0.45, weekend: 0.5, drift: [0.12, 800, 3.3] },
  { channel: 'Direct', source: 'direct', segments: OTHER, mqls: 0.55, sqlRate: 0.34, sqoRate: 0.48, weekend: 0.45, drift: [0.1, 900, 0.8] },
  { channel: 'Email', source: 'hubspot', segments: INBOUND, mqls: 0.35, sqlRate: 0.25, sqoRate: 0.4, weekend: 0.15, drift: [0.18, 365, 2.6] },
  {
    channel: 'Events', source: 'trade_show',
    segments: [{ superSegment: 'Inbound_Marketing', share: 0.6 }, { superSegment: 'Outbound', share: 0.4 }],
    mqls: 0.25, sqlRate: 0.33, sqoRate: 0.5, weekend: 0.05, drift: [0.15, 700, 1.7], bursts: true,
  },
  { channel: 'Webinar', source: 'on24', segments: INBOUND, mqls: 0.22, sqlRate: 0.22, sqoRate: 0.4, weekend: 0.05, drift: [0.2, 480, 4.4] },
  { channel: 'Outbound', source: 'sales_prospecting', segments: OUTBOUND, mqls: 0.6, sqlRate: 0.5, sqoRate: 0.55, weekend: 0.04, drift: [0.15, 560, 0.1] },
  { channel: 'Outbound', source: 'sdr_email', segments: OUTBOUND, mqls: 0.4, sqlRate: 0.42, sqoRate: 0.5, weekend: 0.04, drift: [0.25, 660, 5.5] },
  { channel: 'Partners', source: 'partner_referral', segments: PARTNERS, mqls: 0.3, sqlRate: 0.55, sqoRate: 0.6, weekend: 0.1, drift: [0.2, 750, 2.9] },
  { channel: 'Partners', source: 'reseller', segments: PARTNERS, mqls: 0.1, sqlRate: 0.5, sqoRate: 0.55, weekend: 0.1, drift: [0.1, 500, 1.0], sparse: true },
  { channel: 'Referral', source: 'customer', segments: PARTNERS, mqls: 0.2, sqlRate: 0.58, sqoRate: 0.62, weekend: 0.2, drift: [0.15, 680, 3.9] },
  { channel: 'Review Sites', source: 'g2', segments: INBOUND, mqls: 0.12, sqlRate: 0.35, sqoRate: 0.45, weekend: 0.4, drift: [0.1, 450, 0.5], sparse: true },
  { channel: 'Content Syndication', source: 'integrate', segments: INBOUND, mqls: 0.3, sqlRate: 0.1, sqoRate: 0.25, weekend: 0.1, drift: [0.3, 390, 2.2] },
  { channel: 'Other', source: 'unknown', segments: OTHER, mqls: 0.08, sqlRate: 0.2, sqoRate: 0.3, weekend: 0.5, drift: [0, 365, 0], sparse: true },
];

/** How much a non-sparse channel grows from the small to the large profile. */
const PROFILE_FACTOR: Record<DemoProfile, number> = { small: 1, large: 12 };

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
  const startDay = toDayNumber(resolved.start);
  const endDay = toDayNumber(resolved.end);
  const trendAnchor = endDay - 365;

  const combinations: DemoCombination[] = SPECS.map((spec) => ({
    channel: spec.channel,
    source: spec.source,
    segments: spec.segments,
    baseMqlsPerDay: spec.sparse ? spec.mqls : spec.mqls * PROFILE_FACTOR[resolved.profile] * resolved.scale,
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
  const weekly = SPECS.map((spec) => weeklyFactors(spec.weekend));
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
      level = Math.min(level, (day - launch + 1) / LAUNCH_RAMP_DAYS);
    }
    if (retire !== null && retire !== undefined) {
      if (day >= retire) return 0;
      level = Math.min(level, (retire - day) / RETIRE_TAPER_DAYS);
    }
    return level;
  };

  const mqlMean = (day: number, index: number): number => {
    const spec = SPECS[index];
    const combination = combinations[index];
    if (!spec || !combination) throw new RangeError(`no demo combination #${index}`);
    if (day < startDay) return 0;
    const life = lifecycle(day, index);
    if (life === 0) return 0;
    const { dow, common, burst } = calendar(day);
    const [amplitude, period, phase] = spec.drift;
    const drift = Math.exp(amplitude * Math.sin((2 * Math.PI * (day - endDay)) / period + phase));
    const bursts = spec.bursts && burst ? BURST_FACTOR : 1;
    return combination.baseMqlsPerDay * (weekly[index]?.[dow] ?? 1) * common * drift * bursts * life;
  };

  const sqlRateAt = (day: number, index: number): number => {
    const spec = SPECS[index];
    if (!spec) throw new RangeError(`no demo combination #${index}`);
    const wobble = 1 + SQL_RATE_WOBBLE * Math.sin((2 * Math.PI * (day - endDay)) / SQL_RATE_PERIOD + spec.drift[2]);
    return Math.min(0.95, spec.sqlRate * wobble);
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
