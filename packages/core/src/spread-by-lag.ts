/**
 * Units of one funnel stage becoming units of the next after a lag (SQLs → SQOs, MQLs → SQLs): what the units still
 * open at the as-of date and the units expected to enter during the horizon yield on each horizon day.
 */
export interface LagSpreadInput {
  readonly horizon: number;
  /** The share of entering units that ever convert, in [0, 1]. */
  readonly rate: number;
  /**
   * `lagPmf[k]` = share of converting units that convert `k` days after entering. It may sum below 1 when some
   * convert later than its last day (see {@link lagDistribution}).
   */
  readonly lagPmf: readonly number[];
  /** Units entered `age` days before the as-of date (age ≥ 1) and not converted by then, as `[age, count]` pairs. */
  readonly open: Iterable<readonly [age: number, count: number]>;
  /** Units expected to enter on each horizon day, with their predictive variance. */
  readonly inflow: { readonly mean: readonly number[]; readonly variance: readonly number[] };
}

/** Per horizon day: expected conversions, their variance, and how the expectation moves with the rate. */
export interface LagSpread {
  readonly mean: number[];
  readonly variance: number[];
  /** `∂mean/∂rate`: with the rate's own variance `V_r`, `rateSlope² · V_r` is the rate's share of the variance. */
  readonly rateSlope: number[];
}

/**
 * The lag spread of design.md step 6, shared by every stage that converts into the next:
 * - a unit open at age `a` has waited `a` days without converting, so it converts on horizon day `t` with probability
 *   `r·g[a+t] / (1 − r·G(a−1))`, `G` the lag's cumulative share;
 * - `m_d` units entering on day `d ≤ t` bring `m_d · r · g[t−d]` on day `t`.
 * Variance: Bernoulli for each open unit, and for entering ones the thinning variance `q²·V_d + q(1−q)·m_d` with
 * `q = r·g[t−d]`, so the inflow's own uncertainty carries through. Of that, the part beyond Poisson,
 * `q²·(V_d − m_d)`, is the inflow's level uncertainty, which persists from day to day: it adds as perfectly
 * correlated across the days feeding one horizon day, `(Σ_d q·√(V_d − m_d))²`, not as independent — a lag spreads a
 * forecast's level error over the days after it; it does not average it away.
 */
export function spreadByLag(input: LagSpreadInput): LagSpread {
  const { horizon, rate: r, lagPmf, inflow } = input;
  const mean = new Array<number>(horizon).fill(0);
  const variance = new Array<number>(horizon).fill(0);
  const rateSlope = new Array<number>(horizon).fill(0);
  const cdf: number[] = [];
  lagPmf.reduce((sum, p, k) => (cdf[k] = sum + p), 0);
  const G = (k: number) => (k < 0 ? 0 : (cdf[Math.min(k, cdf.length - 1)] ?? 0));
  // The loops index the lag pmf directly and end where it ends (no lag has mass beyond it) rather than calling a
  // helper per term that answers 0 outside it: they run for every series, day and lag.
  for (const [age, count] of input.open) {
    const stillOpen = 1 - r * G(age - 1);
    if (!(stillOpen > 0) || !(count > 0)) continue;
    const last = Math.min(horizon, lagPmf.length - age);
    for (let t = Math.max(0, -age); t < last; t++) {
      const g = lagPmf[age + t]!;
      const p = Math.min(1, (r * g) / stillOpen);
      if (p <= 0) continue;
      mean[t]! += count * p;
      variance[t]! += count * p * (1 - p);
      rateSlope[t]! += (count * g) / (stillOpen * stillOpen);
    }
  }
  const sharedSd = new Array<number>(horizon).fill(0);
  for (let d = 0; d < horizon; d++) {
    const m = inflow.mean[d] ?? 0;
    const v = inflow.variance[d] ?? 0;
    if (m <= 0 && v <= 0) continue;
    const excess = v - m;
    const excessSd = Math.sqrt(Math.max(0, excess));
    const last = Math.min(horizon, d + lagPmf.length);
    for (let t = d; t < last; t++) {
      const g = lagPmf[t - d]!;
      const q = r * g;
      if (q <= 0) continue;
      mean[t]! += q * m;
      variance[t]! += q * m + q * q * Math.min(0, excess);
      sharedSd[t]! += q * excessSd;
      rateSlope[t]! += g * m;
    }
  }
  for (let t = 0; t < horizon; t++) variance[t] = Math.max(0, variance[t]! + sharedSd[t]! ** 2);
  return { mean, variance, rateSlope };
}

/**
 * A lag as a probability mass function: `pmf[k]` = share of converting units that convert `k` days after entering,
 * from `lagCounts[k]`. `later` counts converters beyond the last counted lag: with it the pmf sums to the share
 * converting within the counted lags, so a rate times the pmf does not overstate them. No observed lags means
 * "same day" (`[1]`), the seed's rule.
 */
export function lagDistribution(lagCounts: readonly number[], later = 0): number[] {
  const total = lagCounts.reduce((sum, count) => sum + Math.max(0, count), 0);
  const all = total + Math.max(0, later);
  if (!(total > 0)) return [1];
  return lagCounts.map((count) => Math.max(0, count) / all);
}
