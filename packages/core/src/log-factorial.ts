import logGamma from '@stdlib/math-base-special-gammaln';

/** `ln(k!)` for an integer `k ≥ 0`: `ln Γ(k + 1)` from `@stdlib/math-base-special-gammaln`. */
export function logFactorial(k: number): number {
  return logGamma(k + 1);
}
