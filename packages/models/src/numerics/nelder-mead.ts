/** Options of {@link minimiseNelderMead}. */
export interface NelderMeadOptions {
  /**
   * Edge of the starting simplex along each coordinate.
   * @defaultValue 0.5
   */
  readonly step?: number;
  /**
   * The most objective evaluations to spend.
   * @defaultValue 200 × (dimension + 1)
   */
  readonly maxEvaluations?: number;
  /**
   * Relative tolerance: stop once the simplex's best and worst values differ by less than `tolerance·(|best| +
   * tolerance)`, as R's `optim` does.
   * @defaultValue 1e-8
   */
  readonly tolerance?: number;
}

/** Where {@link minimiseNelderMead} stopped. */
export interface Minimum {
  readonly x: number[];
  readonly value: number;
  readonly evaluations: number;
}

const REFLECT = 1;
const EXPAND = 2;
const CONTRACT = 0.5;
const SHRINK = 0.5;

/**
 * Minimises `f` without derivatives by the Nelder–Mead simplex method (Nelder & Mead 1965, with the standard
 * reflection, expansion, inside/outside contraction and shrink steps). A non-finite value counts as +∞, so an
 * objective may refuse a point by returning `NaN` or `Infinity`.
 */
export function minimiseNelderMead(
  f: (x: readonly number[]) => number,
  start: readonly number[],
  options: NelderMeadOptions = {},
): Minimum {
  const n = start.length;
  const step = options.step ?? 0.5;
  const maxEvaluations = options.maxEvaluations ?? 200 * (n + 1);
  const tolerance = options.tolerance ?? 1e-8;
  let evaluations = 0;
  const evaluate = (x: readonly number[]): number => {
    evaluations += 1;
    const value = f(x);
    return Number.isFinite(value) ? value : Number.POSITIVE_INFINITY;
  };

  const points: number[][] = [start.slice()];
  for (let i = 0; i < n; i++) {
    const vertex = start.slice();
    vertex[i] = (vertex[i] ?? 0) + step;
    points.push(vertex);
  }
  const values = points.map(evaluate);
  const order = points.map((_, i) => i);
  const at = (i: number): number[] => points[order[i]!]!;
  const valueAt = (i: number): number => values[order[i]!]!;
  // The objective is cheap next to the bookkeeping for the few dimensions an ARIMA has, and a fit takes hundreds of
  // steps: plain loops, and the centroid, the trial points and the vertices rewritten in place rather than a new
  // array per step (so `f` must not keep the `x` it is given).
  const centroid = new Array<number>(n).fill(0);
  const reflected = new Array<number>(n).fill(0);
  const trial = new Array<number>(n).fill(0);
  /** `centroid + t·(centroid − worst)` into `x`: t = 1 reflects, 2 expands, 0.5 contracts outside, −0.5 inside. */
  const along = (worst: readonly number[], t: number, x: number[]): number[] => {
    for (let j = 0; j < n; j++) x[j] = centroid[j]! + t * (centroid[j]! - worst[j]!);
    return x;
  };
  const replaceWorst = (x: readonly number[], value: number): void => {
    const worst = order[n]!;
    const vertex = points[worst]!;
    for (let j = 0; j < n; j++) vertex[j] = x[j]!;
    values[worst] = value;
  };

  for (;;) {
    // A stable insertion sort by value: the order a stable `Array#sort` gives, without its overhead on a few entries.
    for (let i = 1; i <= n; i++) {
      const index = order[i]!;
      let j = i - 1;
      for (; j >= 0 && values[index]! < values[order[j]!]!; j--) order[j + 1] = order[j]!;
      order[j + 1] = index;
    }
    const best = valueAt(0);
    const worstValue = valueAt(n);
    const converged = Number.isFinite(worstValue) && worstValue - best <= tolerance * (Math.abs(best) + tolerance);
    if (n === 0 || converged || evaluations >= maxEvaluations) break;

    centroid.fill(0);
    for (let i = 0; i < n; i++) {
      const vertex = at(i);
      for (let j = 0; j < n; j++) centroid[j] = centroid[j]! + vertex[j]! / n;
    }
    const worst = at(n);
    const reflectedValue = evaluate(along(worst, REFLECT, reflected));
    if (reflectedValue < best) {
      const expandedValue = evaluate(along(worst, EXPAND, trial));
      if (expandedValue < reflectedValue) replaceWorst(trial, expandedValue);
      else replaceWorst(reflected, reflectedValue);
      continue;
    }
    if (reflectedValue < valueAt(n - 1)) {
      replaceWorst(reflected, reflectedValue);
      continue;
    }
    const outside = reflectedValue < worstValue;
    const contractedValue = evaluate(along(worst, outside ? CONTRACT : -CONTRACT, trial));
    if (contractedValue < (outside ? reflectedValue : worstValue)) {
      replaceWorst(trial, contractedValue);
      continue;
    }
    // Nothing along the line through the worst point helps: pull every vertex halfway to the best one.
    const bestPoint = at(0);
    for (let i = 1; i <= n; i++) {
      const index = order[i]!;
      const vertex = points[index]!;
      for (let j = 0; j < n; j++) vertex[j] = bestPoint[j]! + SHRINK * (vertex[j]! - bestPoint[j]!);
      values[index] = evaluate(vertex);
    }
  }
  return { x: at(0).slice(), value: valueAt(0), evaluations };
}
