/**
 * A conversion-lag distribution on days `0 … maxLag`: a point mass on day 0 (same-day conversions) mixed with a
 * discretised gamma density on days `1 … maxLag`, truncated and normalised so it sums to exactly 1.
 */
export function lagPmf(options: {
  /** Share converting on the same day. */
  readonly sameDay: number;
  /** Gamma shape of the later conversions. */
  readonly shape: number;
  /** Gamma scale (days) of the later conversions. */
  readonly scale: number;
  /** Last possible lag day. */
  readonly maxLag: number;
}): number[] {
  const { sameDay, shape, scale, maxLag } = options;
  const density: number[] = [];
  for (let k = 1; k <= maxLag; k++) density.push(Math.pow(k, shape - 1) * Math.exp(-k / scale));
  const total = density.reduce((sum, value) => sum + value, 0);
  return [sameDay, ...density.map((value) => ((1 - sameDay) * value) / total)];
}
