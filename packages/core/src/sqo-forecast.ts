import type { OpenSqls, PredictiveSeries } from './ports.js';
import { InputError } from './errors.js';
import { combinationKey, combinationLabel, parseCombinationKey } from './vocabulary.js';

/**
 * The SQL→SQO lag as a probability mass function: `pmf[k]` = share of converting SQLs that become an SQO `k` days
 * after their SQL. No observed lags means "same day" (`[1]`), the seed's rule.
 */
export function lagDistribution(lagCounts: readonly number[]): number[] {
  const total = lagCounts.reduce((sum, count) => sum + Math.max(0, count), 0);
  if (!(total > 0)) return [1];
  return lagCounts.map((count) => Math.max(0, count) / total);
}

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
 * Variance: Bernoulli for each open SQL, and for forecast SQLs the thinning variance `q²·V_d + q(1−q)·m_d` with
 * `q = r·g[t−d]`, so the SQL forecast's own uncertainty carries through. Contributions are treated as independent
 * across days, which understates the variance when SQL errors persist; the SQL stage's intervals bound that.
 *
 * One series per SQL series, in their order, with method `hybrid-rate-lag(<SQL method>)`; then one per combination
 * that has open SQLs but no SQL series (method `hybrid-rate-lag(open)`), so its open SQLs still become SQOs.
 * @throws InputError naming every combination without a rate.
 */
export function forecastSqos(input: SqoForecastInput): PredictiveSeries[] {
  const { horizon, lagPmf } = input;
  const cdf: number[] = [];
  lagPmf.reduce((sum, p, k) => (cdf[k] = sum + p), 0);
  const G = (k: number) => (k < 0 ? 0 : (cdf[Math.min(k, cdf.length - 1)] ?? 0));

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
    const r = input.rates.get(sqls.key)!;
    const mean = new Array<number>(horizon).fill(0);
    const variance = new Array<number>(horizon).fill(0);
    // The loops index the lag pmf directly and end where it ends (no lag has mass beyond it) rather than calling a
    // helper per term that answers 0 outside it: they run for every combination, day and lag. Terms add up in the
    // same order either way.
    for (const [age, count] of open.get(sqls.key) ?? []) {
      const stillOpen = 1 - r * G(age - 1);
      if (!(stillOpen > 0)) continue;
      const last = Math.min(horizon, lagPmf.length - age);
      for (let t = Math.max(0, -age); t < last; t++) {
        const p = Math.min(1, (r * lagPmf[age + t]!) / stillOpen);
        if (p <= 0) continue;
        mean[t]! += count * p;
        variance[t]! += count * p * (1 - p);
      }
    }
    for (let d = 0; d < horizon; d++) {
      const m = sqls.mean[d] ?? 0;
      const v = sqls.variance[d] ?? 0;
      if (m <= 0 && v <= 0) continue;
      const last = Math.min(horizon, d + lagPmf.length);
      for (let t = d; t < last; t++) {
        const q = r * lagPmf[t - d]!;
        if (q <= 0) continue;
        mean[t]! += q * m;
        variance[t]! += q * q * v + q * (1 - q) * m;
      }
    }
    return { key: sqls.key, mean, variance, method: `hybrid-rate-lag(${sqls.method})` };
  });
}
