import type { OpenSqls, PredictiveSeries } from './ports.js';
import { InputError } from './errors.js';
import { spreadByLag } from './spread-by-lag.js';
import { combinationKey, combinationLabel, parseCombinationKey } from './vocabulary.js';

/** What {@link forecastSqos} needs. */
export interface SqoForecastInput {
  readonly horizon: number;
  /** SQL forecasts per combination (keyed by combination key). */
  readonly sqls: readonly PredictiveSeries[];
  /** Hybrid SQL→SQO rate per combination key; every combination with SQLs or open SQLs needs one. */
  readonly rates: ReadonlyMap<string, number>;
  readonly lagPmf: readonly number[];
  /** SQLs still open at the as-of date, by age. */
  readonly openSqls: readonly OpenSqls[];
}

/**
 * SQOs per combination and horizon day (design.md step 6), from two sources:
 * - SQLs already open at the as-of date: one of age `a` that has not converted yet converts on horizon day `t` with
 *   probability `r·g[a+t] / (1 − r·G(a−1))` (its conversion chance given it has waited `a` days);
 * - SQLs forecast on day `d ≤ t`: expected `m_d · r · g[t−d]` SQOs on day `t`.
 * Both through {@link spreadByLag}, which says how the variance is built.
 *
 * One series per SQL series, in their order, with method `hybrid-rate-lag(<SQL method>)`; then one per combination
 * that has open SQLs but no SQL series (method `hybrid-rate-lag(open)`), so its open SQLs still become SQOs.
 * @throws InputError naming every combination without a rate.
 */
export function forecastSqos(input: SqoForecastInput): PredictiveSeries[] {
  const { horizon, lagPmf } = input;
  const open = new Map<string, Map<number, number>>();
  for (const row of input.openSqls) {
    const key = combinationKey(row);
    const ages = open.get(key) ?? new Map<number, number>();
    ages.set(row.ageDays, (ages.get(row.ageDays) ?? 0) + row.count);
    open.set(key, ages);
  }
  const withSqls = new Set(input.sqls.map((series) => series.key));
  const zero = new Array<number>(horizon).fill(0);
  const sources = [
    ...input.sqls,
    ...[...open.keys()].filter((key) => !withSqls.has(key)).sort().map((key) => ({ key, mean: zero, variance: zero, method: 'open' })),
  ];
  const missing = sources.filter((series) => !input.rates.has(series.key));
  if (missing.length > 0) {
    throw new InputError(
      missing.map((series) => ({ where: combinationLabel(parseCombinationKey(series.key)), message: 'has SQLs to convert but no SQL→SQO rate' })),
      'Cannot forecast SQOs:',
    );
  }

  return sources.map((sqls) => {
    const { mean, variance } = spreadByLag({ horizon, rate: input.rates.get(sqls.key)!, lagPmf, open: open.get(sqls.key) ?? [], inflow: sqls });
    return { key: sqls.key, mean, variance, method: `hybrid-rate-lag(${sqls.method})` };
  });
}
