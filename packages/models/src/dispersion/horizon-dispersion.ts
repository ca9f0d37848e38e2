/** One out-of-sample check: the forecast mean `steps` days after its origin (0 = the origin day) and what happened. */
export interface HorizonResidual {
  readonly step: number;
  readonly mean: number;
  readonly actual: number;
}

/**
 * Pools adjacent violators: the weighted least-squares non-decreasing fit to `values` (isotonic regression).
 * Uncertainty cannot honestly shrink with the horizon, and a running maximum would let one noisy block set every
 * later one; pooling averages such blocks with their neighbours instead.
 */
function nonDecreasing(values: readonly number[], weights: readonly number[]): number[] {
  const blocks: { value: number; weight: number; size: number }[] = [];
  values.forEach((value, i) => {
    blocks.push({ value, weight: weights[i] ?? 0, size: 1 });
    for (let last = blocks.at(-1), previous = blocks.at(-2); last && previous && previous.value > last.value; ) {
      const weight = previous.weight + last.weight;
      previous.value = weight > 0 ? (previous.value * previous.weight + last.value * last.weight) / weight : Math.max(previous.value, last.value);
      previous.weight = weight;
      previous.size += last.size;
      blocks.pop();
      last = blocks.at(-1);
      previous = blocks.at(-2);
    }
  });
  return blocks.flatMap((block) => new Array<number>(block.size).fill(block.value));
}

/**
 * The negative-binomial dispersion `φ_h` of `var = μ + φ_h·μ²` for each horizon step, from backtest residuals.
 *
 * Steps are grouped into blocks of `blockDays` (one rolling origin gives one residual per step, too few alone); each
 * block's `φ` is the moment estimate `Σ((y−μ)² − μ) / Σμ²`, which takes in both the noise beyond Poisson and the
 * model's own level and trend error at that distance. The blocks are made non-decreasing by isotonic regression
 * weighted by `Σμ²`, steps beyond the last block with data take the last block's value, and no step falls below
 * `floor` (the in-sample one-step dispersion).
 */
export function horizonDispersion(
  residuals: readonly HorizonResidual[],
  horizon: number,
  floor: number,
  blockDays = 7,
): number[] {
  const blockCount = Math.ceil(horizon / blockDays);
  const excess = new Array<number>(blockCount).fill(0);
  const squares = new Array<number>(blockCount).fill(0);
  for (const { step, mean, actual } of residuals) {
    const block = Math.floor(step / blockDays);
    if (block >= blockCount) continue;
    excess[block] = (excess[block] ?? 0) + (actual - mean) ** 2 - mean;
    squares[block] = (squares[block] ?? 0) + mean * mean;
  }
  const observed = squares.map((s, b) => (s > 0 ? { phi: Math.max(0, (excess[b] ?? 0) / s), weight: s } : undefined));
  const lastObserved = observed.reduce((last, o, b) => (o ? b : last), -1);
  if (lastObserved < 0) return new Array<number>(horizon).fill(floor);
  const known = observed.slice(0, lastObserved + 1);
  // A block inside the range with no data (all means zero) gets no weight and the value of its neighbours.
  const monotone = nonDecreasing(
    known.map((o) => o?.phi ?? 0),
    known.map((o) => o?.weight ?? 0),
  );
  const last = monotone.at(-1) ?? floor;
  return Array.from({ length: horizon }, (_, h) => Math.max(floor, monotone[Math.floor(h / blockDays)] ?? last));
}
