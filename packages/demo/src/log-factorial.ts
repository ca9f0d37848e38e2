/** `ln(k!)`, exact to double precision for small `k` and by Stirling's series beyond. */

const TABLE_SIZE = 256;
const TABLE = (() => {
  const table = new Float64Array(TABLE_SIZE);
  for (let k = 2; k < TABLE_SIZE; k++) table[k] = (table[k - 1] ?? 0) + Math.log(k);
  return table;
})();

const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

/** `ln(k!)` for an integer `k ≥ 0`. */
export function logFactorial(k: number): number {
  if (k < TABLE_SIZE) return TABLE[k] ?? 0;
  // Stirling's series for ln Γ(n + 1); the first three corrections already reach double precision at n ≥ 256.
  const n = k;
  const inv = 1 / n;
  const inv2 = inv * inv;
  return (n + 0.5) * Math.log(n) - n + HALF_LOG_TWO_PI + inv * (1 / 12 - inv2 * (1 / 360 - inv2 / 1260));
}
