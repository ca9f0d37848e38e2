import type { ArimaFit } from './arima-fit.js';
import { differencingPolynomial, multiply } from './lag-polynomial.js';

/** Point forecasts and their error variances, one per horizon day. */
export interface ArimaForecast {
  readonly point: number[];
  readonly variance: number[];
}

/**
 * Forecasts `horizon` days past the end of the series a model was fitted to.
 *
 * The differencing is folded into the AR side, `A(B) = φ(B)(1 − B)^d = 1 − Σ A_i Bⁱ`, so the forecast is the
 * recursion `ŷ_{n+h} = Σ A_i ŷ_{n+h−i} + Σ_{j≥h} θ_j e_{n+h−j}` on the series itself (observed values where there
 * are some, and past residuals only while they are still within the MA's reach). The error variance is
 * `σ² Σ_{j<h} ψ_j²` with `ψ(B) = θ(B) / A(B)`: it grows with the horizon, without bound once the model is
 * differenced.
 */
export function forecastArima(fit: ArimaFit, values: readonly number[], horizon: number): ArimaForecast {
  const A = multiply([1, ...fit.phi.map((c) => -c)], differencingPolynomial(fit.order.d))
    .slice(1)
    .map((c) => -c);
  const { theta } = fit;
  const n = values.length;
  // The residuals were computed on the differenced series, which starts `d` days into the series.
  const offset = n - fit.residuals.length;
  const residualAt = (t: number): number => (t >= offset && t < n ? (fit.residuals[t - offset] ?? 0) : 0);

  const path = values.map((y) => y - fit.mean);
  const point: number[] = [];
  for (let t = n; t < n + horizon; t++) {
    let next = 0;
    A.forEach((a, i) => (next += a * (path[t - i - 1] ?? 0)));
    theta.forEach((c, j) => (next += c * residualAt(t - j - 1)));
    path.push(next);
    point.push(next + fit.mean);
  }

  const psi = [1];
  for (let j = 1; j < horizon; j++) {
    let weight = theta[j - 1] ?? 0;
    for (let i = 1; i <= Math.min(j, A.length); i++) weight += (A[i - 1] ?? 0) * (psi[j - i] ?? 0);
    psi.push(weight);
  }
  const variance: number[] = [];
  let sum = 0;
  for (const weight of psi) variance.push(fit.sigma2 * (sum += weight * weight));
  return { point, variance };
}
