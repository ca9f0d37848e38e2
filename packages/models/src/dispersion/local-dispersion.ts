/** How far back the dispersion is measured: half a year of recent behaviour. */
const LOOKBACK_DAYS = 182;

/**
 * The negative-binomial dispersion `φ` (`var = μ + φμ²`) of a series' recent days, without any model: each day is
 * compared with the mean `m` of the same weekday a week before and a week after. For a locally steady series
 * `E[(y − m)²] = 1.5·var`, so `φ = Σ((y − m)²/1.5 − m) / Σ m²`, at least 0.
 *
 * It exists because decomposition models understate noise: STL's seasonal smoother follows part of the noise, so
 * the remainder (and the interval augurs builds on it) is narrower than the counts really scatter.
 */
export function localDispersion(values: readonly number[]): number {
  const n = values.length;
  let excess = 0;
  let squares = 0;
  for (let t = Math.max(7, n - 7 - LOOKBACK_DAYS); t < n - 7; t++) {
    const m = ((values[t - 7] ?? 0) + (values[t + 7] ?? 0)) / 2;
    excess += ((values[t] ?? 0) - m) ** 2 / 1.5 - m;
    squares += m * m;
  }
  return squares > 0 ? Math.max(0, excess / squares) : 0;
}
