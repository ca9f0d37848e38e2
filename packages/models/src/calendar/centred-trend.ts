/**
 * The centred moving average over one odd `period` (the trend of a classical decomposition) at every day `t` where
 * the whole window fits: the mean of `values[t − ⌊period/2⌋ … t + ⌊period/2⌋]`.
 */
export function centredTrend(values: ArrayLike<number>, period: number): { t: number; trend: number }[] {
  const half = Math.floor(period / 2);
  const out: { t: number; trend: number }[] = [];
  for (let t = half; t < values.length - half; t++) {
    let window = 0;
    for (let k = -half; k <= half; k++) window += values[t + k] ?? 0;
    out.push({ t, trend: window / period });
  }
  return out;
}
