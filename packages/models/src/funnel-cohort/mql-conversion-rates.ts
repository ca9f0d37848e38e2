import { combinationKey, credibilityRate, parseSegmentCombinationKey, segmentCombinationKey, type MqlAgeCohort } from '@funnelcast/core';

/** The MQL→SQL conversion of one super-segment × combination, and what it was built from. */
export interface MqlConversionRate {
  /** Share of its MQLs that ever become SQLs: `(sqls + κ·parentRate) / (exposure + κ)`. */
  readonly rate: number;
  /** Variance of `rate` (its beta posterior's), for the forecast's rate uncertainty. */
  readonly variance: number;
  /** SQLs of the cohorts used. */
  readonly sqls: number;
  /** Completion-weighted MQLs of the same cohorts: `Σ mqls_a · F(a)`. */
  readonly exposure: number;
  /** The rate it is shrunk toward: its super-segment's (itself shrunk toward all segments'). */
  readonly parentRate: number;
}

/** What {@link mqlConversionRates} needs. */
export interface MqlConversionInput {
  /** MQLs by grain and age at the as-of date (core's `ConversionHistory.mqlToSql.byAge`). */
  readonly byAge: readonly MqlAgeCohort[];
  /** The MQL→SQL lag pmf over all converters (core's `lagDistribution(lagCounts, laterSqls)`). */
  readonly lagPmf: readonly number[];
  /** Credibility κ: how many completed MQLs' worth of the parent's rate is added to a grain's own record. */
  readonly credibility: number;
  /**
   * Cohorts less complete than this (`F(a)`, the share of converters that convert within `a` days) are left out:
   * their few SQLs say little and lean hardest on the lag distribution. @defaultValue 0.3
   */
  readonly minCompletion?: number | undefined;
}

/**
 * `F(a)` for every age up to `maxAge`: the share of converters that convert in under `a` days, so an MQL of age `a`
 * with its SQL before the as-of date is one of them.
 */
export function completionByAge(lagPmf: readonly number[], maxAge: number): number[] {
  const completion = [0];
  for (let a = 1; a <= maxAge; a++) completion.push(completion[a - 1]! + (lagPmf[a - 1] ?? 0));
  return completion;
}

/** The rates of every level; {@link MqlConversionRates.rateOf} answers for any grain. */
export interface MqlConversionRates {
  readonly overall: MqlConversionRate;
  /** Keyed by super-segment. */
  readonly bySegment: ReadonlyMap<string, MqlConversionRate>;
  /** Keyed by core's `segmentCombinationKey`. */
  readonly byGrain: ReadonlyMap<string, MqlConversionRate>;
  /** The rate of a super-segment × combination (combination key), its segment's or the overall one without cohorts. */
  rateOf(superSegment: string, combinationKey: string): MqlConversionRate;
}

interface Tally {
  sqls: number;
  exposure: number;
}

const add = (tallies: Map<string, Tally>, key: string, sqls: number, exposure: number) => {
  const tally = tallies.get(key) ?? { sqls: 0, exposure: 0 };
  tally.sqls += sqls;
  tally.exposure += exposure;
  tallies.set(key, tally);
};

/**
 * MQL→SQL conversion per super-segment × combination, from the recent
 * cohorts of the as-of date with their right-censoring handled by completion factors (chain ladder): a cohort of age
 * `a` has shown only the share `F(a)` of its eventual SQLs, so `rate = Σ sqls_a / Σ mqls_a·F(a)`, young cohorts
 * counting for less. Recent cohorts are used on purpose: a conversion that rises over time is seen as it rises.
 * Credibility shrinks a grain toward its super-segment and a super-segment toward all of them (beta-binomial), so a
 * sparse grain borrows its parent's rate.
 *
 * Grains, segments or all without completed enough cohorts get their parent's rate (all: 0).
 */
export function mqlConversionRates(input: MqlConversionInput): MqlConversionRates {
  const minCompletion = input.minCompletion ?? 0.3;
  const maxAge = input.byAge.reduce((max, row) => Math.max(max, row.ageDays), 0);
  const completion = completionByAge(input.lagPmf, maxAge);
  const grains = new Map<string, Tally>();
  const segments = new Map<string, Tally>();
  const all: Tally = { sqls: 0, exposure: 0 };
  for (const row of input.byAge) {
    // Beyond the counted lags a cohort's SQLs include later converters whose timing the pmf does not know, so its
    // completion is unknown: leaving it out keeps the rate from reading them as a higher conversion.
    if (row.ageDays > input.lagPmf.length) continue;
    const f = completion[row.ageDays] ?? 0;
    if (!(f >= minCompletion)) continue;
    const exposure = row.mqls * f;
    add(grains, segmentCombinationKey(row.superSegment, combinationKey(row)), row.sqls, exposure);
    add(segments, row.superSegment, row.sqls, exposure);
    all.sqls += row.sqls;
    all.exposure += exposure;
  }
  const kappa = Math.max(0, input.credibility);
  const shrink = (own: Tally, parentRate: number): MqlConversionRate => {
    const rate = credibilityRate(own.sqls, own.exposure, parentRate, kappa);
    return { rate, variance: (rate * (1 - rate)) / (own.exposure + kappa + 1), sqls: own.sqls, exposure: own.exposure, parentRate };
  };
  const overall = shrink(all, all.exposure > 0 ? Math.min(1, all.sqls / all.exposure) : 0);
  const bySegment = new Map([...segments].map(([segment, tally]) => [segment, shrink(tally, overall.rate)]));
  const segmentRate = (segment: string) => bySegment.get(segment) ?? overall;
  const byGrain = new Map(
    [...grains].map(([key, tally]) => [key, shrink(tally, segmentRate(parseSegmentCombinationKey(key).superSegment).rate)]),
  );
  return {
    overall,
    bySegment,
    byGrain,
    rateOf: (superSegment, key) => byGrain.get(segmentCombinationKey(superSegment, key)) ?? segmentRate(superSegment),
  };
}
