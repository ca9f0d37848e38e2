import { createRng, mixSeed } from '@funnelcast/core';
import { DEMO_HISTORY_DAYS, type DemoProfile } from './demo-options.js';

/** A super-segment a combination's leads fall into, and the share of its leads that do. */
export interface DemoSegmentShare {
  readonly superSegment: string;
  readonly share: number;
}

/** One Channel × Source of a profile, before the profile's factor and the caller's scale. */
export interface Spec {
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
  /** Days from launch to full level. @defaultValue 21 (a campaign ramping up); 1 for a switch flipped on */
  readonly launchRampDays?: number;
  readonly retireDaysBeforeEnd?: number;
  /** Trade-show weeks: MQLs multiply on these days of every year. */
  readonly bursts?: boolean;
}

const only = (superSegment: string): DemoSegmentShare[] => [{ superSegment, share: 1 }];
const INBOUND = only('Inbound_Marketing');
const OUTBOUND = only('Outbound');
const PARTNERS = only('Partnerships_Referrals');
const OTHER = only('Other');

const BASE_SPECS: readonly Spec[] = [
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

// Launched in the ramp profile, all at full level at once but the first: one a quarter before `end`; one 33 days
// before (days before the last monthly origin when `end` is a month start, so a backtest meets a combination with
// days of history); one two days before `end`, so a refresh at `end` sees only its first leads.
const RAMP_LAUNCHES: readonly Spec[] = [
  { channel: 'Paid Social', source: 'reddit', segments: INBOUND, mqls: 0.3, sqlRate: 0.15, sqoRate: 0.3, weekend: 0.6, drift: [0, 365, 0], launchDaysBeforeEnd: 100 },
  {
    channel: 'Events', source: 'roadshow', segments: OUTBOUND, mqls: 0.3, sqlRate: 0.35, sqoRate: 0.5, weekend: 0.05, drift: [0, 365, 0],
    launchDaysBeforeEnd: 33, launchRampDays: 1,
  },
  {
    channel: 'Partners', source: 'marketplace', segments: PARTNERS, mqls: 0.5, sqlRate: 0.45, sqoRate: 0.55, weekend: 0.3, drift: [0, 365, 0],
    launchDaysBeforeEnd: 2, launchRampDays: 1,
  },
];

/** Ramp: MQLs step up this many days before `end`, after a quiet month. */
export const RAMP_STEP_DAYS_BEFORE_END = 61;
const RAMP_QUIET_DAYS = 30;
const RAMP_QUIET_LEVEL = 0.5;
/** Ramp: MQLs after the step, relative to the level before the quiet month. */
export const RAMP_STEP = 4;
/** Ramp: the MQL→SQL rate grows linearly from this multiple of the base rate at the first lead … */
export const RAMP_SQL_RATE_FROM = 0.5;
/** … to this one at `end`, and stays there. */
export const RAMP_SQL_RATE_TO = 1.5;

// The sparse profile's channels: super-segment and source stems; each channel has SPARSE_SOURCES sources.
const SPARSE_CHANNELS: readonly (readonly [string, readonly DemoSegmentShare[], readonly string[]])[] = [
  ['Paid Search', INBOUND, ['google', 'bing']],
  ['Organic Search', INBOUND, ['google', 'bing', 'duckduckgo']],
  ['Paid Social', INBOUND, ['linkedin', 'facebook', 'tiktok', 'reddit']],
  ['Outbound', OUTBOUND, ['sdr_email', 'sales_prospecting', 'cold_call']],
  ['Partners', PARTNERS, ['partner_referral', 'reseller']],
  ['Direct', OTHER, ['direct']],
  ['Display', INBOUND, ['adroll', 'criteo']],
  ['Email', INBOUND, ['hubspot', 'newsletter']],
  ['Events', OUTBOUND, ['trade_show', 'meetup']],
  ['Webinar', INBOUND, ['on24', 'zoom']],
  ['Content Syndication', INBOUND, ['integrate', 'techtarget']],
  ['Referral', PARTNERS, ['customer', 'employee']],
];
const SPARSE_SOURCES = 20;
/** MQLs a day of each channel's first source: the few big combinations that keep totals from being trivial. */
const SPARSE_BIG = [2, 1.5, 1.2, 1, 0.9, 0.8];
// Fixed: the layout is part of the process, which the caller's seed must not change.
const SPARSE_LAYOUT_SEED = 0x5b4a5e;

/**
 * The sparse profile's 240 combinations: a few big ones, some mid-sized, and most under one lead a week, a third
 * of those launched and a third retired at days spread over two years (a few both).
 */
function sparseSpecs(): Spec[] {
  return SPARSE_CHANNELS.flatMap(([channel, segments, stems], c) =>
    Array.from({ length: SPARSE_SOURCES }, (_, k): Spec => {
      const rng = createRng(mixSeed(SPARSE_LAYOUT_SEED, c, k));
      const u = rng;
      const stem = stems[k % stems.length] ?? channel;
      const source = k < stems.length ? stem : `${stem}_c${String(k).padStart(2, '0')}`;
      const common = {
        channel, source, segments,
        sqlRate: 0.1 + 0.4 * u(), sqoRate: 0.3 + 0.3 * u(), weekend: 0.1 + 0.5 * u(),
        drift: [0.3 * u(), 300 + 500 * u(), 2 * Math.PI * u()] as const,
      };
      const big = k === 0 ? SPARSE_BIG[c] : undefined;
      if (big !== undefined) return { ...common, mqls: big };
      if (k === 1 && c < 8) return { ...common, mqls: 0.25 + 0.3 * u() };
      const mqls = 0.015 + 0.12 * u() ** 2;
      const life = u();
      if (life < 0.35) return { ...common, mqls, sparse: true, launchDaysBeforeEnd: 7 + Math.floor(700 * u()) };
      if (life < 0.6) return { ...common, mqls, sparse: true, retireDaysBeforeEnd: 1 + Math.floor(650 * u()) };
      if (life < 0.72) {
        const launch = 200 + Math.floor(520 * u());
        return { ...common, mqls, sparse: true, launchDaysBeforeEnd: launch, retireDaysBeforeEnd: 1 + Math.floor((launch - 60) * u()) };
      }
      return { ...common, mqls, sparse: true };
    }),
  );
}

/** What sets a profile apart from the others. */
export interface DemoProfileShape {
  readonly specs: readonly Spec[];
  /** Multiplies every non-sparse combination's MQLs (sparse ones stay at a few leads a month). */
  readonly factor: number;
  /** No leads earlier than this day number, whatever `start` says; null: from `start`. */
  readonly firstDay: number | null;
  /** Multiplies every combination's expected MQLs on a day number; null: 1. */
  readonly mqlLevel: ((day: number) => number) | null;
  /** Multiplies every combination's MQL→SQL rate on a day number; null: 1. */
  readonly sqlRateFactor: ((day: number) => number) | null;
}

/**
 * The shape of a profile whose snapshot is day number `endDay`: `small` and `large` share the combinations and
 * differ in size; `ramp` (under a year of history, a quiet month then a fourfold step in MQLs two months before
 * `end`, MQL→SQL conversion rising from half to 1.5× as sales ramps up, channels launched days before `end`) and
 * `sparse` (240 combinations, most under a lead a week, coming and going) are the messy funnels of issue 9.
 */
export function demoProfileShape(profile: DemoProfile, endDay: number): DemoProfileShape {
  const plain = { firstDay: null, mqlLevel: null, sqlRateFactor: null };
  switch (profile) {
    case 'small':
      return { ...plain, specs: BASE_SPECS, factor: 1 };
    case 'large':
      return { ...plain, specs: BASE_SPECS, factor: 12 };
    case 'sparse':
      return { ...plain, specs: sparseSpecs(), factor: 1 };
    case 'ramp': {
      const firstDay = endDay - DEMO_HISTORY_DAYS.ramp;
      const step = endDay - RAMP_STEP_DAYS_BEFORE_END;
      const span = RAMP_SQL_RATE_TO - RAMP_SQL_RATE_FROM;
      return {
        specs: [...BASE_SPECS, ...RAMP_LAUNCHES],
        factor: 2,
        firstDay,
        mqlLevel: (day) => (day >= step ? RAMP_STEP : day >= step - RAMP_QUIET_DAYS ? RAMP_QUIET_LEVEL : 1),
        sqlRateFactor: (day) => RAMP_SQL_RATE_FROM + span * Math.min(1, Math.max(0, (day - firstDay) / (endDay - firstDay))),
      };
    }
  }
}
