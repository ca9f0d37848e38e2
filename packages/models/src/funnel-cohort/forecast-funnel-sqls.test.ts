import { combinationKey, createRng, FUNNEL_COHORT, samplePoissonByInversion, segmentCombinationKey, type MqlAgeCohort, type MqlToSqlHistory, type PredictiveSeries } from '@funnelcast/core';
import { describe, expect, it } from 'vitest';
import { forecastFunnelSqls, funnelSqlsBySegment } from './forecast-funnel-sqls.js';
import { mqlConversionRates } from './mql-conversion-rates.js';

const WEB = { channel: 'Web', source: 'organic' };
const WEB_KEY = combinationKey(WEB);
const GRAIN = segmentCombinationKey('Inbound_Marketing', WEB_KEY);

/** The true MQL→SQL lag: most SQLs within weeks (mean ≈ 12 days), 10% of converters after `MAX_LAG` days. */
const MAX_LAG = 60;
const LATER = 0.1;
const TRUE_PMF: number[] = (() => {
  const weights = Array.from({ length: MAX_LAG + 1 }, (_, k) => Math.exp(-k / 12));
  const total = weights.reduce((a, b) => a + b, 0);
  return weights.map((w) => ((1 - LATER) * w) / total);
})();

interface Lead {
  readonly mqlDay: number;
  readonly sqlDay: number | null;
}

/**
 * Leads of one grain with MQLs on days `from … to − 1` (day 0 is the as-of date), `rate(day)` a day, each becoming
 * an SQL with probability `conversion(day)` after a lag drawn from {@link TRUE_PMF} (later ones 61–120 days).
 */
function simulate(seed: number, from: number, to: number, rate: (day: number) => number, conversion: (day: number) => number): Lead[] {
  const random = createRng(seed);
  const leads: Lead[] = [];
  for (let day = from; day < to; day++) {
    for (let n = samplePoissonByInversion(random, rate(day)); n > 0; n--) {
      if (random() >= conversion(day)) {
        leads.push({ mqlDay: day, sqlDay: null });
        continue;
      }
      let u = random();
      let lag = TRUE_PMF.findIndex((p) => (u -= p) < 0);
      if (lag < 0) lag = MAX_LAG + 1 + Math.floor(random() * 60);
      leads.push({ mqlDay: day, sqlDay: day + lag });
    }
  }
  return leads;
}

/** What a warehouse returns at day 0 for these leads (see the conformance suite's recount). */
function facts(leads: readonly Lead[], lookBackDays: number, windowDays = 365): MqlToSqlHistory {
  const byAge = new Map<number, { mqls: number; sqls: number }>();
  const lagCounts = new Array<number>(MAX_LAG + 1).fill(0);
  let laterSqls = 0;
  for (const { mqlDay, sqlDay } of leads) {
    const converted = sqlDay !== null && sqlDay < 0;
    if (converted && mqlDay >= -MAX_LAG - windowDays && mqlDay < -MAX_LAG) {
      if (sqlDay - mqlDay > MAX_LAG) laterSqls += 1;
      else lagCounts[sqlDay - mqlDay]! += 1;
    }
    if (mqlDay >= 0 || mqlDay < -lookBackDays) continue;
    const cohort = byAge.get(-mqlDay) ?? { mqls: 0, sqls: 0 };
    cohort.mqls += 1;
    if (converted) cohort.sqls += 1;
    byAge.set(-mqlDay, cohort);
  }
  const rows: MqlAgeCohort[] = [...byAge].map(([ageDays, c]) => ({ superSegment: 'Inbound_Marketing', ...WEB, ageDays, ...c }));
  return { byAge: rows, lagCounts, laterSqls };
}

/**
 * SQLs that actually came on each horizon day within `MAX_LAG` days of their MQL: the model forecasts no later
 * converter (it knows their share, not their timing), so they are no part of the truth it is held to.
 */
function realised(leads: readonly Lead[], horizon: number): number[] {
  const sqls = new Array<number>(horizon).fill(0);
  for (const { mqlDay, sqlDay } of leads) {
    if (sqlDay !== null && sqlDay >= 0 && sqlDay < horizon && sqlDay - mqlDay <= MAX_LAG) sqls[sqlDay]! += 1;
  }
  return sqls;
}

const mqlForecast = (horizon: number, rate: (day: number) => number): PredictiveSeries => ({
  key: WEB_KEY,
  mean: Array.from({ length: horizon }, (_, d) => rate(d)),
  variance: Array.from({ length: horizon }, (_, d) => rate(d)),
  method: 'truth',
});

const sum = (values: readonly number[], from = 0, to = values.length) => values.slice(from, to).reduce((a, b) => a + b, 0);

/**
 * The mean over `seeds` simulated funnels of what `run` measures on each: one draw is noisy at any volume a test can
 * afford, an average over several shows bias, which is what a recovery test is after.
 */
function overSeeds(seeds: number, run: (seed: number) => readonly number[]): number[] {
  const runs = Array.from({ length: seeds }, (_, i) => run(1000 * (i + 1)));
  return runs[0]!.map((_, j) => sum(runs.map((r) => r[j]!)) / seeds);
}

const SEEDS = 12;

describe('forecastFunnelSqls', () => {
  it('recovers the SQLs of a steady funnel with a known conversion and lag', () => {
    const horizon = 60;
    const rate = () => 80;
    // In steady state the expected SQLs a day are MQLs × conversion × the share converting within MAX_LAG.
    const steady = 80 * 0.3 * (1 - LATER);
    const [first, tenth, thirtieth, last, captured, varianceRatio] = overSeeds(SEEDS, (seed) => {
      const leads = simulate(seed, -500, horizon, rate, () => 0.3);
      const [series] = forecastFunnelSqls({ horizon, mqlToSql: facts(leads, 120), mqls: [mqlForecast(horizon, rate)], credibility: 30 });
      expect(series?.key).toBe(GRAIN);
      expect(series?.method).toBe(`${FUNNEL_COHORT}(truth)`);
      const { mean, variance } = series!;
      return [mean[0]!, mean[10]!, mean[30]!, mean[59]!, sum(mean, 0, 30) / sum(realised(leads, horizon), 0, 30), variance[30]! / mean[30]!];
    });
    for (const day of [first, tenth, thirtieth, last]) expect(Math.abs(day! / steady - 1)).toBeLessThan(0.03);
    expect(Math.abs(captured! - 1)).toBeLessThan(0.04);
    // The thinned MQL noise plus the rate's uncertainty: wider than Poisson, of the same order.
    expect(varianceRatio).toBeGreaterThan(1);
    expect(varianceRatio).toBeLessThan(3);
  });

  it('shows a step in MQLs in the SQLs weeks later, as the lag spreads it', () => {
    const horizon = 90;
    const rate = (day: number) => (day < 0 ? 40 : 160);
    const days = [0, 7, 14, 28, 60];
    const measured = overSeeds(SEEDS, (seed) => {
      const leads = simulate(seed, -400, horizon, rate, () => 0.25);
      const [series] = forecastFunnelSqls({ horizon, mqlToSql: facts(leads, 120), mqls: [mqlForecast(horizon, rate)], credibility: 30 });
      return [...days.map((day) => series!.mean[day]!), sum(series!.mean, 30, 90) / sum(realised(leads, horizon), 30, 90)];
    });
    // The truth: SQLs on day h come from pre-step MQLs at lags > h and post-step ones at lags ≤ h.
    const truth = (h: number) => 0.25 * TRUE_PMF.reduce((s, p, k) => s + p * (k <= h ? 160 : 40), 0);
    days.forEach((day, i) => expect(Math.abs(measured[i]! / truth(day) - 1)).toBeLessThan(0.03));
    // Day 0 still sees the old level; two months later, nearly all of the fourfold step.
    expect(measured[0]! / measured[4]!).toBeLessThan(0.45);
    expect(Math.abs(measured[5]! - 1)).toBeLessThan(0.03);
  });

  it('turns open MQLs alone into the decaying tail they leave behind', () => {
    const horizon = 60;
    const rate = (day: number) => (day < 0 ? 120 : 0);
    const days = [0, 5, 10, 20];
    const measured = overSeeds(SEEDS, (seed) => {
      const leads = simulate(seed, -400, horizon, rate, () => 0.35);
      const [series] = forecastFunnelSqls({ horizon, mqlToSql: facts(leads, 120), mqls: [], credibility: 30 });
      expect(series?.method).toBe(`${FUNNEL_COHORT}(open)`);
      // The empirical lag wobbles day to day; week by week the tail only falls.
      const weeks = Array.from({ length: 8 }, (_, w) => sum(series!.mean, 7 * w, 7 * w + 7));
      weeks.slice(1).forEach((week, w) => expect(week).toBeLessThan(weeks[w]!));
      return [...days.map((day) => series!.mean[day]!), sum(series!.mean) / sum(realised(leads, horizon))];
    });
    // The truth: every earlier day's MQLs still to convert, 120 · 0.35 · Σ_{a ≥ 1} pmf(a + h).
    const truth = (h: number) => 120 * 0.35 * sum(TRUE_PMF, h + 1);
    days.forEach((day, i) => expect(Math.abs(measured[i]! / truth(day) - 1)).toBeLessThan(0.03));
    // Against what happened: ~400 SQLs a draw, so the mean of 12 draws is within about 1.5% (one σ) of expected.
    expect(Math.abs(measured[4]! - 1)).toBeLessThan(0.05);
  });

  it('sums grains into their super-segment', () => {
    const horizon = 3;
    const mqlToSql: MqlToSqlHistory = {
      byAge: [
        { superSegment: 'Outbound', ...WEB, ageDays: 1, mqls: 10, sqls: 2 },
        { superSegment: 'Inbound_Marketing', ...WEB, ageDays: 1, mqls: 30, sqls: 6 },
      ],
      lagCounts: [5, 3, 2],
      laterSqls: 0,
    };
    const grains = forecastFunnelSqls({ horizon, mqlToSql, mqls: [mqlForecast(horizon, () => 8)], credibility: 5 });
    expect(grains.map((g) => g.key).sort()).toEqual([GRAIN, segmentCombinationKey('Outbound', WEB_KEY)].sort());
    // The combination's 8 MQLs a day split 1:3 by its recent MQLs.
    const outbound = grains.find((g) => g.key === segmentCombinationKey('Outbound', WEB_KEY))!;
    const inbound = grains.find((g) => g.key === GRAIN)!;
    expect(inbound.mean[2]!).toBeGreaterThan(outbound.mean[2]!);
    const segments = funnelSqlsBySegment(grains, horizon);
    expect(segments.map((s) => s.key).sort()).toEqual(['Inbound_Marketing', 'Outbound']);
    expect(segments.find((s) => s.key === 'Outbound')?.mean).toEqual(outbound.mean);
  });
});

describe('mqlConversionRates', () => {
  const estimate = (mqlToSql: MqlToSqlHistory) => {
    const lagPmf = mqlToSql.lagCounts.map((n) => n / (sum(mqlToSql.lagCounts) + mqlToSql.laterSqls));
    return mqlConversionRates({ byAge: mqlToSql.byAge, lagPmf, credibility: 30 }).rateOf('Inbound_Marketing', WEB_KEY).rate;
  };

  it('estimates conversion from young, incomplete cohorts without bias (completion factors)', () => {
    // Only the last 30 days of MQLs are read by age: most of their SQLs have not come yet.
    const [naive, rate] = overSeeds(SEEDS, (seed) => {
      const mqlToSql = facts(simulate(seed, -400, 0, () => 150, () => 0.3), 30);
      return [sum(mqlToSql.byAge.map((c) => c.sqls)) / sum(mqlToSql.byAge.map((c) => c.mqls)), estimate(mqlToSql)];
    });
    expect(naive).toBeLessThan(0.2);
    expect(Math.abs(rate! - 0.3)).toBeLessThan(0.01);
  });

  it('sees a conversion that rises over time in the recent cohorts', () => {
    const rising = (day: number) => Math.min(0.5, Math.max(0.1, 0.5 + day / 500));
    const [rate] = overSeeds(SEEDS, (seed) => [estimate(facts(simulate(seed, -400, 0, () => 150, rising), 60))]);
    // The matured cohorts (MQLs 61–425 days ago) converted at 0.1–0.38; the last 60 days at 0.38–0.5.
    expect(rate).toBeGreaterThan(0.4);
    expect(rate).toBeLessThan(0.48);
  });

  it('shrinks a sparse grain toward its super-segment, and that toward all (hand-computed)', () => {
    const row = (superSegment: string, channel: string, mqls: number, sqls: number): MqlAgeCohort => ({
      superSegment, channel, source: 'x', ageDays: 1, mqls, sqls,
    });
    const rates = mqlConversionRates({
      byAge: [row('A', 'big', 1000, 300), row('A', 'small', 10, 10), row('B', 'other', 500, 50)],
      lagPmf: [1],
      credibility: 30,
    });
    const all = 360 / 1510;
    const segmentA = (310 + 30 * all) / 1040;
    expect(rates.overall.rate).toBeCloseTo(all, 12);
    expect(rates.bySegment.get('A')?.rate).toBeCloseTo(segmentA, 12);
    expect(rates.rateOf('A', combinationKey({ channel: 'small', source: 'x' })).rate).toBeCloseTo((10 + 30 * segmentA) / 40, 12);
    // A grain without cohorts takes its segment's rate; a segment without any, the overall one.
    expect(rates.rateOf('A', combinationKey({ channel: 'new', source: 'x' })).rate).toBeCloseTo(segmentA, 12);
    expect(rates.rateOf('C', WEB_KEY).rate).toBeCloseTo(rates.overall.rate, 12);
  });
});
