import { fitPoissonRidge } from './poisson-ridge.js';
import { featureLayout, LONGEST_LAG, writeFeatures, type FeatureLayout } from './v3-features.js';

/** A fitted V3-feature Poisson ridge for one series: coefficients on standardised features, and how to rebuild them. */
export interface V3RidgeModel {
  readonly layout: FeatureLayout;
  readonly coefficients: Float64Array;
  /** Per-column centre and scale of the training features (column 0, the intercept, is left as is). */
  readonly center: Float64Array;
  readonly scale: Float64Array;
  /** Day number of `values[0]`. */
  readonly startDay: number;
  /**
   * Cap on the linear predictor during recursion: ten times the largest training count. A feedback loop through
   * the lags that would run away is stopped there instead of overflowing.
   */
  readonly maxEta: number;
  /** In-sample one-step negative-binomial dispersion `Σ((y−μ)² − μ) / Σμ²`, at least 0. */
  readonly dispersion: number;
}

function standardise(x: Float64Array, rows: number, cols: number): { center: Float64Array; scale: Float64Array } {
  const center = new Float64Array(cols);
  const scale = new Float64Array(cols).fill(1);
  for (let j = 1; j < cols; j++) {
    let sum = 0;
    let squares = 0;
    for (let i = 0; i < rows; i++) {
      const v = x[i * cols + j] ?? 0;
      sum += v;
      squares += v * v;
    }
    const mean = sum / rows;
    const sd = Math.sqrt(Math.max(0, squares / rows - mean * mean));
    center[j] = mean;
    // A constant column carries nothing (the intercept has it); scaling it to zero lets the ridge drop it.
    scale[j] = sd > 1e-9 ? sd : Number.POSITIVE_INFINITY;
    for (let i = 0; i < rows; i++) x[i * cols + j] = ((x[i * cols + j] ?? 0) - mean) / (scale[j] ?? 1);
  }
  return { center, scale };
}

function linearPredictor(model: V3RidgeModel, row: Float64Array): number {
  let eta = model.coefficients[0] ?? 0;
  for (let j = 1; j < model.layout.width; j++) {
    eta += (model.coefficients[j] ?? 0) * (((row[j] ?? 0) - (model.center[j] ?? 0)) / (model.scale[j] ?? 1));
  }
  return Math.min(eta, model.maxEta);
}

/**
 * Fits the ridge to `values[0 … end)` (day number of `values[0]` is `startDay`): one training row per day that has
 * 28 days of lags before it, with or without the yearly terms. Needs `end > 28`.
 */
export function fitV3Ridge(
  values: readonly number[],
  startDay: number,
  end: number,
  options: { readonly l2: number; readonly yearly: boolean },
): V3RidgeModel {
  const rows = end - LONGEST_LAG;
  const layout = featureLayout(options.yearly, startDay + end);
  const cols = layout.width;
  const x = new Float64Array(rows * cols);
  const y = new Float64Array(rows);
  let sum7 = 0;
  let sum28 = 0;
  let largest = 0;
  for (let t = 0; t < end; t++) {
    if (t >= LONGEST_LAG) {
      writeFeatures(layout, x, (t - LONGEST_LAG) * cols, startDay + t, sum7, sum28);
      y[t - LONGEST_LAG] = values[t] ?? 0;
    }
    const v = values[t] ?? 0;
    largest = Math.max(largest, v);
    sum7 += v - (t >= 7 ? (values[t - 7] ?? 0) : 0);
    sum28 += v - (t >= LONGEST_LAG ? (values[t - LONGEST_LAG] ?? 0) : 0);
  }
  const raw = Float64Array.from(x);
  const { center, scale } = standardise(x, rows, cols);
  const coefficients = fitPoissonRidge({ x, rows, cols }, y, options.l2);
  const model = { layout, coefficients, center, scale, startDay, maxEta: Math.log(10 * largest + 1), dispersion: 0 };
  let excess = 0;
  let squares = 0;
  for (let i = 0; i < rows; i++) {
    const mu = Math.exp(linearPredictor(model, raw.subarray(i * cols, (i + 1) * cols)));
    excess += ((y[i] ?? 0) - mu) ** 2 - mu;
    squares += mu * mu;
  }
  return { ...model, dispersion: squares > 0 ? Math.max(0, excess / squares) : 0 };
}

/**
 * Forecasts `steps` days after `values[0 … end)` recursively: each day's lag features are built from the history
 * and the model's own earlier predictions (its means), never from missing or zero lags.
 */
export function predictV3Ridge(model: V3RidgeModel, values: readonly number[], end: number, steps: number): number[] {
  const path = new Float64Array(end + steps);
  for (let t = 0; t < end; t++) path[t] = values[t] ?? 0;
  let sum7 = 0;
  let sum28 = 0;
  for (let t = Math.max(0, end - LONGEST_LAG); t < end; t++) {
    sum28 += path[t] ?? 0;
    if (t >= end - 7) sum7 += path[t] ?? 0;
  }
  const row = new Float64Array(model.layout.width);
  const out: number[] = [];
  for (let t = end; t < end + steps; t++) {
    writeFeatures(model.layout, row, 0, model.startDay + t, sum7, sum28);
    const mu = Math.exp(linearPredictor(model, row));
    path[t] = mu;
    out.push(mu);
    sum7 += mu - (path[t - 7] ?? 0);
    sum28 += mu - (path[t - LONGEST_LAG] ?? 0);
  }
  return out;
}
