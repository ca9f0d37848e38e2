import { minimiseNelderMead } from '../numerics/nelder-mead.js';
import type { ArimaOrder } from './arima-order.js';
import { differencingPolynomial, stationaryCoefficients, stationaryCoefficientsInto } from './lag-polynomial.js';

/**
 * A fitted ARIMA(p,d,q) model: the differenced series `w_t = (1 − B)^d y_t`, less its mean, follows
 * `φ(B) w_t = θ(B) e_t` with `e_t` white noise of variance `σ²`.
 */
export interface ArimaFit {
  readonly order: ArimaOrder;
  /** AR coefficients `φ_1…φ_p` of `φ(B) = 1 − Σ φ_i Bⁱ`; stationary. */
  readonly phi: number[];
  /** MA coefficients `θ_1…θ_q` of `θ(B) = 1 + Σ θ_j Bʲ`; invertible. */
  readonly theta: number[];
  /** The series mean when it is not differenced; 0 when it is (the model has no drift). */
  readonly mean: number;
  /** The one-step noise variance: the conditional sum of squares per day it was summed over. */
  readonly sigma2: number;
  /** The corrected Akaike information criterion; comparable between fits with the same `d` and conditioning. */
  readonly aicc: number;
  /** One-step residuals `e_t` on the differenced series (zero on the conditioning days). */
  readonly residuals: Float64Array;
  /** The optimiser's unconstrained parameters, `p` AR then `q` MA: a start for a neighbouring order. */
  readonly raw: number[];
}

/** Options of {@link fitArima}. */
export interface ArimaFitOptions {
  /**
   * Unconstrained starting parameters (as in {@link ArimaFit.raw}).
   * @defaultValue all zero: white noise
   */
  readonly start?: readonly number[];
  /**
   * Days of the differenced series the sum of squares is conditioned on rather than summed over (at least `p`).
   * Fits compared by AICc must share it, so that they are scored on the same days.
   * @defaultValue `p`
   */
  readonly conditioning?: number;
}

/** The optimiser's first steps in the unconstrained space: wide from white noise, narrow from a neighbour's fit. */
const COLD_STEP = 0.5;
const WARM_STEP = 0.15;
/** Enough for Nelder–Mead to settle in the few dimensions an ARIMA has. */
const EVALUATIONS_PER_PARAMETER = 100;
/**
 * Relative tolerance on the sum of squares: 1e-5 moves `−2 log L = n log σ²` by about `n·1e-5`, well under the AICc
 * differences that decide an order.
 */
const TOLERANCE = 1e-5;

/** `(1 − B)^d y`: the series an ARIMA(p,d,q) describes, shorter by `d` days. */
export function difference(values: readonly number[], d: number): Float64Array {
  const polynomial = differencingPolynomial(d);
  const out = new Float64Array(Math.max(0, values.length - d));
  for (let t = 0; t < out.length; t++) {
    let sum = 0;
    for (let k = 0; k <= d; k++) sum += (polynomial[k] ?? 0) * (values[t + d - k] ?? 0);
    out[t] = sum;
  }
  return out;
}

/**
 * The conditional residuals `e_t = w_t − Σ φ_i w_{t−i} − Σ θ_j e_{t−j}` from day `start` (at least `p`) on, with the
 * residuals before it taken as zero, written into `residuals`; returns their sum of squares.
 */
function conditionalSumOfSquares(w: Float64Array, phi: Float64Array, theta: Float64Array, start: number, residuals: Float64Array): number {
  let sum = 0;
  for (let t = start; t < w.length; t++) {
    let e = w[t]!;
    for (let i = 0; i < phi.length; i++) e -= phi[i]! * w[t - i - 1]!;
    // An MA term reaching before day 0 is skipped: it would subtract a zero.
    const reach = Math.min(theta.length, t);
    for (let j = 0; j < reach; j++) e -= theta[j]! * residuals[t - j - 1]!;
    residuals[t] = e;
    sum += e * e;
  }
  return sum;
}

/** Whether {@link shortSumOfSquares} covers an order: `p, q ≤ 2`, and no MA term reaches before day 0. */
function isShort(p: number, q: number, start: number): boolean {
  return p <= 2 && q <= 2 && start >= q;
}

/**
 * {@link conditionalSumOfSquares} for the orders {@link isShort} covers, without writing the residuals: the same sum
 * by the same operations in the same order, so the same bits. The innermost loop of the whole order search, run
 * thousands of times per fit, so each `(p, q)` gets a loop of its own with no test of the order inside it, and the
 * last two residuals live in locals (starting as the zeros before `start`): over a refresh, about 1.7 times as fast
 * as one loop that tests the order on every day.
 */
function shortSumOfSquares(w: Float64Array, phi: Float64Array, theta: Float64Array, start: number): number {
  const a = phi[0] ?? 0;
  const b = phi[1] ?? 0;
  const c = theta[0] ?? 0;
  const d = theta[1] ?? 0;
  const n = w.length;
  let previous = 0;
  let beforePrevious = 0;
  let sum = 0;
  switch (phi.length * 3 + theta.length) {
    case 0:
      for (let t = start; t < n; t++) sum += w[t]! * w[t]!;
      break;
    case 1:
      for (let t = start; t < n; t++) {
        const e = w[t]! - c * previous;
        previous = e;
        sum += e * e;
      }
      break;
    case 2:
      for (let t = start; t < n; t++) {
        const e = w[t]! - c * previous - d * beforePrevious;
        beforePrevious = previous;
        previous = e;
        sum += e * e;
      }
      break;
    case 3:
      for (let t = start; t < n; t++) {
        const e = w[t]! - a * w[t - 1]!;
        sum += e * e;
      }
      break;
    case 4:
      for (let t = start; t < n; t++) {
        const e = w[t]! - a * w[t - 1]! - c * previous;
        previous = e;
        sum += e * e;
      }
      break;
    case 5:
      for (let t = start; t < n; t++) {
        const e = w[t]! - a * w[t - 1]! - c * previous - d * beforePrevious;
        beforePrevious = previous;
        previous = e;
        sum += e * e;
      }
      break;
    case 6:
      for (let t = start; t < n; t++) {
        const e = w[t]! - a * w[t - 1]! - b * w[t - 2]!;
        sum += e * e;
      }
      break;
    case 7:
      for (let t = start; t < n; t++) {
        const e = w[t]! - a * w[t - 1]! - b * w[t - 2]! - c * previous;
        previous = e;
        sum += e * e;
      }
      break;
    default:
      for (let t = start; t < n; t++) {
        const e = w[t]! - a * w[t - 1]! - b * w[t - 2]! - c * previous - d * beforePrevious;
        beforePrevious = previous;
        previous = e;
        sum += e * e;
      }
  }
  return sum;
}

/** The constrained coefficients an order's unconstrained parameters stand for. */
function coefficientsOf(raw: readonly number[], order: ArimaOrder): { phi: number[]; theta: number[] } {
  return {
    phi: stationaryCoefficients(raw.slice(0, order.p)),
    theta: stationaryCoefficients(raw.slice(order.p, order.p + order.q)).map((c) => -c),
  };
}

/**
 * A series as its ARIMA fits with `d` differences see it, made once for all the orders tried on it. An
 * undifferenced series is centred on its sample mean; a differenced one gets no constant, because a drift would
 * extrapolate a noisy slope over the whole horizon.
 */
export interface ArimaSeries {
  readonly d: number;
  /** `(1 − B)^d y`, less {@link ArimaSeries.mean}. */
  readonly w: Float64Array;
  /** The series mean when it is not differenced; 0 when it is. */
  readonly mean: number;
}

/** The {@link ArimaSeries} of `values` with `d` differences. */
export function arimaSeries(values: readonly number[], d: number): ArimaSeries {
  const differenced = difference(values, d);
  const mean = d === 0 && differenced.length > 0 ? differenced.reduce((a, b) => a + b, 0) / differenced.length : 0;
  return { d, w: d === 0 ? differenced.map((x) => x - mean) : differenced, mean };
}

/**
 * Fits an ARIMA(p,d,q), `d` being the series', by conditional sum of squares (Box & Jenkins): the coefficients
 * minimise the squared one-step residuals, found by Nelder–Mead over the unconstrained parameters of
 * {@link stationaryCoefficients}, so every fit is stationary and invertible. The AICc treats the sum of squares as a
 * Gaussian likelihood, counting the coefficients, the mean if any and `σ²`; it is +∞ when the days summed over
 * cannot support that many parameters.
 */
export function fitArima(series: ArimaSeries, arma: Pick<ArimaOrder, 'p' | 'q'>, options: ArimaFitOptions = {}): ArimaFit {
  const { w, mean } = series;
  const order: ArimaOrder = { p: arma.p, d: series.d, q: arma.q };
  const centred = order.d === 0;
  const start = Math.min(w.length, Math.max(order.p, options.conditioning ?? order.p));
  const residuals = new Float64Array(w.length);
  // The objective runs thousands of times per fit: its coefficients live in buffers reused from call to call.
  const phi = new Float64Array(order.p);
  const theta = new Float64Array(order.q);
  const work = new Float64Array(Math.max(order.p, order.q));
  const coefficients = (raw: readonly number[]): void => {
    stationaryCoefficientsInto(raw, 0, order.p, phi, work);
    stationaryCoefficientsInto(raw, order.p, order.q, theta, work);
    for (let j = 0; j < order.q; j++) theta[j] = -theta[j]!;
  };
  // Only the optimum's residuals are kept, so the trial points skip writing them where a short loop covers the order.
  const short = isShort(order.p, order.q, start);
  const trialSumOfSquares = (raw: readonly number[]): number => {
    coefficients(raw);
    return short ? shortSumOfSquares(w, phi, theta, start) : conditionalSumOfSquares(w, phi, theta, start, residuals);
  };

  const dimension = order.p + order.q;
  const initial = options.start?.slice(0, dimension) ?? [];
  while (initial.length < dimension) initial.push(0);
  const best = minimiseNelderMead(trialSumOfSquares, initial, {
    step: options.start ? WARM_STEP : COLD_STEP,
    maxEvaluations: EVALUATIONS_PER_PARAMETER * (dimension + 1),
    tolerance: TOLERANCE,
  });
  // Once more at the optimum, writing the residuals the forecast reads; the sum has the trial points' bits.
  coefficients(best.x);
  const sum = conditionalSumOfSquares(w, phi, theta, start, residuals);

  const used = w.length - start;
  const sigma2 = used > 0 ? sum / used : 0;
  const parameters = dimension + (centred ? 1 : 0) + 1;
  const minusTwoLogLikelihood = used * (Math.log(2 * Math.PI * Math.max(sigma2, Number.MIN_VALUE)) + 1);
  const aicc =
    used - parameters - 1 > 0
      ? minusTwoLogLikelihood + 2 * parameters + (2 * parameters * (parameters + 1)) / (used - parameters - 1)
      : Number.POSITIVE_INFINITY;
  return { order, ...coefficientsOf(best.x, order), mean, sigma2, aicc, residuals, raw: best.x };
}
