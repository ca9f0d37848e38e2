import type { ConversionCohort, DailyCounts } from './ports.js';
import { combinationKey, segmentCombinationKey, type Combination, type IsoDate } from './vocabulary.js';

/** The SQL→SQO rate used for a combination, and what it was built from. */
export interface HybridRate {
  /** `(sqo_c + κ·r_parent) / (sql_c + κ)`. */
  readonly rate: number;
  readonly ownSqls: number;
  readonly ownSqos: number;
  /** The rate it is shrunk toward: its super-segment's (SQL-weighted over its segments), or the global rate. */
  readonly parentRate: number;
}

/** What {@link hybridRates} needs. */
export interface HybridRateInput {
  /** Matured SQL cohorts per super-segment × combination. */
  readonly cohorts: readonly ConversionCohort[];
  /** Every combination that needs a rate (those without cohorts get their parent's). */
  readonly combinations: readonly Combination[];
  /** Credibility κ: how many SQLs' worth of the parent's rate is added to a combination's own record. */
  readonly credibility: number;
}

const ratio = (sqos: number, sqls: number, fallback: number) => (sqls > 0 ? sqos / sqls : fallback);

/**
 * Credibility (beta-binomial) shrinkage, the rule of every conversion rate here: `successes` out of `trials` of one's
 * own, plus `credibility` trials' worth of the parent's rate — `(successes + κ·parent) / (trials + κ)`, within
 * [0, 1]; the parent's rate alone when there is nothing to weigh.
 */
export function credibilityRate(successes: number, trials: number, parentRate: number, credibility: number): number {
  const weight = trials + credibility;
  return weight > 0 ? Math.min(1, Math.max(0, (successes + credibility * parentRate) / weight)) : parentRate;
}

/**
 * Hybrid SQL→SQO rates by credibility (beta-binomial shrinkage): a combination with many matured SQLs keeps its own
 * rate, a sparse one borrows its super-segment's. Keyed by combination key.
 */
export function hybridRates(input: HybridRateInput): Map<string, HybridRate> {
  const segments = new Map<string, { sqls: number; sqos: number }>();
  const own = new Map<string, { sqls: number; sqos: number; bySegment: Map<string, number> }>();
  let totalSqls = 0;
  let totalSqos = 0;
  for (const cohort of input.cohorts) {
    const segment = segments.get(cohort.superSegment) ?? { sqls: 0, sqos: 0 };
    segment.sqls += cohort.sqls;
    segment.sqos += cohort.sqos;
    segments.set(cohort.superSegment, segment);
    const key = combinationKey(cohort);
    const record = own.get(key) ?? { sqls: 0, sqos: 0, bySegment: new Map<string, number>() };
    record.sqls += cohort.sqls;
    record.sqos += cohort.sqos;
    record.bySegment.set(cohort.superSegment, (record.bySegment.get(cohort.superSegment) ?? 0) + cohort.sqls);
    own.set(key, record);
    totalSqls += cohort.sqls;
    totalSqos += cohort.sqos;
  }
  const globalRate = ratio(totalSqos, totalSqls, 0);
  const segmentRate = (name: string) => {
    const s = segments.get(name);
    return s ? ratio(s.sqos, s.sqls, globalRate) : globalRate;
  };
  const kappa = input.credibility;
  const rates = new Map<string, HybridRate>();
  for (const combination of input.combinations) {
    const key = combinationKey(combination);
    const record = own.get(key);
    let parentRate = globalRate;
    if (record) {
      const weights = [...record.bySegment];
      const weightTotal = weights.reduce((sum, [, sqls]) => sum + sqls, 0);
      // Cohorts with no SQLs carry no weight of their own: the segments then count equally.
      parentRate = weights.reduce(
        (sum, [segment, sqls]) => sum + (weightTotal > 0 ? sqls / weightTotal : 1 / weights.length) * segmentRate(segment),
        0,
      );
    }
    const sqls = record?.sqls ?? 0;
    const sqos = record?.sqos ?? 0;
    rates.set(key, { rate: credibilityRate(sqos, sqls, parentRate, kappa), ownSqls: sqls, ownSqos: sqos, parentRate });
  }
  return rates;
}

/**
 * Cohorts from a daily-counts source, which has no lead-level link between an SQL and its SQO: the SQLs and SQOs
 * dated in `[cohortStart, cohortEnd)` per super-segment × combination. Adequate when the window is much longer
 * than the SQL→SQO lag.
 */
export function conversionCohortsFromDaily(daily: readonly DailyCounts[], cohortStart: IsoDate, cohortEnd: IsoDate): ConversionCohort[] {
  const cohorts = new Map<string, { superSegment: string; channel: string; source: string; sqls: number; sqos: number }>();
  for (const row of daily) {
    if (row.date < cohortStart || row.date >= cohortEnd) continue;
    const key = segmentCombinationKey(row.superSegment, combinationKey(row));
    const cohort = cohorts.get(key) ?? { superSegment: row.superSegment, channel: row.channel, source: row.source, sqls: 0, sqos: 0 };
    cohort.sqls += row.sqls;
    cohort.sqos += row.sqos;
    cohorts.set(key, cohort);
  }
  return [...cohorts.values()];
}
