import {
  combinationKey,
  FUNNEL_COHORT,
  parseSegmentCombinationKey,
  segmentCombinationKey,
  spreadByLag,
  type MqlToSqlHistory,
  type PredictiveSeries,
} from '@funnelcast/core';
import { lagFromFacts } from './lag-from-ages.js';
import { mqlConversionRates } from './mql-conversion-rates.js';

/** What {@link forecastFunnelSqls} needs. */
export interface FunnelSqlInput {
  /** Days to forecast, starting on the as-of date. */
  readonly horizon: number;
  /** The as-of date's MQL→SQL facts (core's `ConversionHistory.mqlToSql`). */
  readonly mqlToSql: MqlToSqlHistory;
  /** MQL forecasts per Channel × Source, keyed by core's `combinationKey`, from the MQL model. */
  readonly mqls: readonly PredictiveSeries[];
  /**
   * Each combination's split of its MQLs across super-segments (combination key → segment → share, summing to 1).
   * @defaultValue the split of the combination's MQLs in `mqlToSql.byAge` (its recent MQLs)
   */
  readonly segmentShares?: ReadonlyMap<string, ReadonlyMap<string, number>>;
  /** Credibility κ of the conversion rates, in completed MQLs (see `mqlConversionRates`). */
  readonly credibility: number;
  /** See `mqlConversionRates`. @defaultValue 0.3 */
  readonly minCompletion?: number | undefined;
}

/** The split of each combination's MQLs across super-segments in `byAge`. */
function recentShares(byAge: MqlToSqlHistory['byAge']): Map<string, Map<string, number>> {
  const shares = new Map<string, Map<string, number>>();
  for (const row of byAge) {
    const key = combinationKey(row);
    const bySegment = shares.get(key) ?? new Map<string, number>();
    bySegment.set(row.superSegment, (bySegment.get(row.superSegment) ?? 0) + row.mqls);
    shares.set(key, bySegment);
  }
  for (const bySegment of shares.values()) {
    const total = [...bySegment.values()].reduce((sum, n) => sum + n, 0);
    for (const [segment, n] of bySegment) bySegment.set(segment, total > 0 ? n / total : 1 / bySegment.size);
  }
  return shares;
}

/**
 * Funnel-aware SQLs per super-segment × Channel × Source and horizon day (issue 9, "Funnel-aware SQLs"), keyed by
 * core's `segmentCombinationKey`:
 * (a) MQLs still open at the as-of date, by age `a` (`mqls − sqls`), each converting on horizon day `h` with
 *     probability `conv · pmf(a+h) / (1 − conv · F(a))`;
 * (b) forecast MQLs of day `j` (the combination's MQL forecast × the segment's share of it) bringing
 *     `conv · pmf(h−j)` SQLs on day `h`;
 * with `conv` per grain from `mqlConversionRates` and the MQL→SQL lag from the matured cohorts (later converters
 * kept out of the pmf; from the open cohorts' conversion by age while too few have matured: `lagFromFacts`), both
 * spread by core's `spreadByLag`. Variance: Bernoulli for (a), thinning of the MQL
 * forecast's predictive distribution for (b) (a segment's share thins it first), plus the rate's own uncertainty
 * through `(∂mean/∂conv)² · Var(conv)`.
 *
 * SQLs later than the longest counted lag (`mqlLagDays`) are not forecast: the facts give their share
 * (`laterSqls`), which keeps them out of the pmf and the rate's completion, but not their timing.
 *
 * One series per grain with open MQLs or forecast MQLs, sorted by key; method `funnel-cohort(<MQL method>)`, or
 * `funnel-cohort(open)` for a grain with open MQLs only. A combination with forecast MQLs but no known split adds
 * nothing (it had no MQLs in the look-back, and its segment is unknown).
 */
export function forecastFunnelSqls(input: FunnelSqlInput): PredictiveSeries[] {
  const { horizon, mqlToSql } = input;
  const lagPmf = lagFromFacts(mqlToSql);
  const rates = mqlConversionRates({ byAge: mqlToSql.byAge, lagPmf, credibility: input.credibility, minCompletion: input.minCompletion });
  const shares = input.segmentShares ?? recentShares(mqlToSql.byAge);

  const open = new Map<string, Map<number, number>>();
  for (const row of mqlToSql.byAge) {
    if (!(row.mqls > row.sqls)) continue;
    const key = segmentCombinationKey(row.superSegment, combinationKey(row));
    const ages = open.get(key) ?? new Map<number, number>();
    ages.set(row.ageDays, (ages.get(row.ageDays) ?? 0) + row.mqls - row.sqls);
    open.set(key, ages);
  }
  const inflows = new Map<string, PredictiveSeries>();
  for (const mqls of input.mqls) {
    for (const [segment, share] of shares.get(mqls.key) ?? []) {
      if (!(share > 0)) continue;
      // A segment's MQLs are a thinning of the combination's: Var = s²·V + s(1 − s)·m.
      inflows.set(segmentCombinationKey(segment, mqls.key), {
        key: mqls.key,
        mean: mqls.mean.map((m) => share * m),
        variance: mqls.variance.map((v, d) => share * share * v + share * (1 - share) * (mqls.mean[d] ?? 0)),
        method: mqls.method,
      });
    }
  }

  const zero = new Array<number>(horizon).fill(0);
  return [...new Set([...open.keys(), ...inflows.keys()])].sort().map((key) => {
    const { superSegment, combinationKey: combination } = parseSegmentCombinationKey(key);
    const conv = rates.rateOf(superSegment, combination);
    const inflow = inflows.get(key);
    const spread = spreadByLag({ horizon, rate: conv.rate, lagPmf, open: open.get(key) ?? [], inflow: inflow ?? { mean: zero, variance: zero } });
    return {
      key,
      mean: spread.mean,
      variance: spread.variance.map((v, t) => v + spread.rateSlope[t]! ** 2 * conv.variance),
      method: `${FUNNEL_COHORT}(${inflow?.method ?? 'open'})`,
    };
  });
}

/**
 * The funnel-aware SQL forecast of each super-segment (keyed by its name): the sum of its grains' series from
 * {@link forecastFunnelSqls}, in order of first appearance. Variances add as if the grains were independent, which
 * understates a segment's spread when its combinations' MQL errors move together.
 */
export function funnelSqlsBySegment(series: readonly PredictiveSeries[], horizon: number): PredictiveSeries[] {
  const segments = new Map<string, { mean: number[]; variance: number[] }>();
  for (const grain of series) {
    const { superSegment } = parseSegmentCombinationKey(grain.key);
    let sum = segments.get(superSegment);
    if (!sum) segments.set(superSegment, (sum = { mean: new Array<number>(horizon).fill(0), variance: new Array<number>(horizon).fill(0) }));
    for (let t = 0; t < horizon; t++) {
      sum.mean[t]! += grain.mean[t] ?? 0;
      sum.variance[t]! += grain.variance[t] ?? 0;
    }
  }
  return [...segments].map(([key, { mean, variance }]) => ({ key, mean, variance, method: FUNNEL_COHORT }));
}
