/**
 * Lag polynomials as dense coefficient arrays `[c_0, c_1, …]` meaning `c_0 + c_1·B + c_2·B² + …`, where `B` is the
 * backshift operator (`B·y_t = y_{t−1}`).
 */

/** The product of two lag polynomials. */
export function multiply(a: readonly number[], b: readonly number[]): number[] {
  const out = new Array<number>(a.length + b.length - 1).fill(0);
  a.forEach((x, i) => b.forEach((y, j) => (out[i + j] = (out[i + j] ?? 0) + x * y)));
  return out;
}

/** `(1 − B)^d`, the differencing of an ARIMA(p,d,q) model. */
export function differencingPolynomial(d: number): number[] {
  let out = [1];
  for (let i = 0; i < d; i++) out = multiply(out, [1, -1]);
  return out;
}

/**
 * Maps unconstrained reals to the coefficients of a stationary AR polynomial `1 − Σ φ_i Bⁱ` (Jones 1980, as R's
 * `arima` does): each real becomes a partial autocorrelation in (−1, 1) by `tanh`, and the Durbin–Levinson recursion
 * turns the partial autocorrelations into coefficients. Every real vector maps to a polynomial with all roots
 * outside the unit circle, so an optimiser can search the whole space freely; read with a minus sign it gives an
 * invertible MA polynomial. A zero appended to the reals leaves the earlier coefficients unchanged.
 */
export function stationaryCoefficients(raw: readonly number[]): number[] {
  const phi = new Float64Array(raw.length);
  stationaryCoefficientsInto(raw, 0, raw.length, phi, new Float64Array(raw.length));
  // Every fit of the order search ends here: an indexed copy, not the iterator protocol of `Array.from`.
  const out = new Array<number>(phi.length);
  for (let i = 0; i < phi.length; i++) out[i] = phi[i]!;
  return out;
}

/**
 * {@link stationaryCoefficients} of `raw[from … from + count)` written into `phi` (and `work`, scratch of the same
 * length), so an optimiser's objective can map thousands of trial points without allocating.
 */
export function stationaryCoefficientsInto(raw: readonly number[], from: number, count: number, phi: Float64Array, work: Float64Array): void {
  for (let i = 0; i < count; i++) work[i] = phi[i] = Math.tanh(raw[from + i]!);
  for (let j = 1; j < count; j++) {
    const partial = phi[j]!;
    for (let k = 0; k < j; k++) work[k] = phi[k]! - partial * phi[j - k - 1]!;
    for (let k = 0; k < j; k++) phi[k] = work[k]!;
  }
}
