import logGamma from '@stdlib/math-base-special-gammaln';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import { BOUND_PROBABILITIES } from './vocabulary.js';

/**
 * Predictive distributions of daily counts (design.md, "Mapping and distribution", step 5). A forecast arrives as
 * a mean and a variance on the count scale; the published bounds are quantiles of the count distribution with
 * those two moments: Poisson when the variance does not exceed the mean, negative binomial by moment matching
 * otherwise.
 */

/** The four published bounds of one value, in the view's terms. */
export interface ForecastBounds {
  /** The 2.5% quantile. */
  readonly lower95: number;
  /** The 25% quantile (or the mean, if that quantile lies above it). */
  readonly lower50: number;
  /** The 75% quantile (or the mean, if that quantile lies below it). */
  readonly upper50: number;
  /** The 97.5% quantile. */
  readonly upper95: number;
}

// A variance within this relative distance of the mean is Poisson: the negative binomial it would match has a
// size above a million times the mean, indistinguishable from Poisson, and its log-gamma differences would only
// add rounding error.
const POISSON_RELATIVE_EPS = 1e-6;

// Above this mean a quantile walk would sum hundreds of thousands of terms. When the distribution is also nearly
// symmetric there, a skew-corrected (Cornish–Fisher) normal with continuity correction is within a small fraction
// of a standard deviation of the exact quantile, so it is used instead. Skewed (strongly over-dispersed) counts stay
// exact at any mean: a normal would misplace their tails.
const APPROXIMATE_ABOVE_MEAN = 1e5;
const APPROXIMATE_BELOW_SKEWNESS = 0.05;

// Terms below this fraction of the running mass cannot change a quantile at the published probabilities.
const NEGLIGIBLE = 1e-17;

/**
 * A count distribution as the quantile walk needs it: its mode, the log-pmf there, and what {@link ratio} needs.
 * Plain data rather than a ratio closure per law: the walk takes the ratio once per step for every cell of a
 * refresh, and a call through one of two closures cannot be inlined where a call to one plain function can.
 */
interface CountLaw {
  readonly mode: number;
  readonly logPmfAtMode: number;
  readonly poisson: boolean;
  readonly mean: number;
  readonly size: number;
  readonly q: number;
}

function poissonLaw(mean: number): CountLaw {
  const mode = Math.floor(mean);
  return { mode, logPmfAtMode: mode * Math.log(mean) - mean - logGamma(mode + 1), poisson: true, mean, size: Infinity, q: 0 };
}

function negativeBinomialLaw(mean: number, size: number): CountLaw {
  // Success probability size/(size+mean); (1 − p) = mean/(size+mean), computed without cancellation.
  const logP = Math.log(size) - Math.log(size + mean);
  const log1mP = Math.log(mean) - Math.log(size + mean);
  const q = mean / (size + mean);
  const mode = size > 1 ? Math.floor(((size - 1) * mean) / size) : 0;
  return {
    mode,
    logPmfAtMode: logGamma(mode + size) - logGamma(size) - logGamma(mode + 1) + size * logP + mode * log1mP,
    poisson: false,
    mean,
    size,
    q,
  };
}

/** pmf(k+1) / pmf(k). */
function ratio(law: CountLaw, k: number): number {
  return law.poisson ? law.mean / (k + 1) : ((k + law.size) / (k + 1)) * law.q;
}

// For each p of `ascending`, the smallest k with CDF(k) ≥ p, summing pmf terms outward from the mode (where the pmf
// is largest, so nothing underflows that matters): first the mass at or below the mode, then walk down for the
// probabilities that mass already reaches and up for the others. One walk serves every p: the walk for a smaller
// (downward) or larger (upward) p passes through exactly the states of the one before it, so sharing the walk gives
// bit-for-bit the result of walking once per p, at the cost of about one.
function walkQuantiles(law: CountLaw, ascending: readonly number[], out: number[]): void {
  const { mode } = law;
  const atMode = Math.exp(law.logPmfAtMode);
  let cdfAtMode = 0;
  let term = atMode;
  for (let k = mode; k >= 0; k--) {
    cdfAtMode += term;
    if (term < NEGLIGIBLE * cdfAtMode) break;
    if (k > 0) term /= ratio(law, k - 1);
  }
  // The probabilities the mass up to the mode already reaches: step down while the CDF one below still reaches p.
  let firstUp = 0;
  while (firstUp < ascending.length && cdfAtMode >= (ascending[firstUp] as number)) firstUp++;
  let k = mode;
  let cdf = cdfAtMode;
  term = atMode;
  for (let i = firstUp - 1; i >= 0; i--) {
    const p = ascending[i] as number;
    while (k > 0 && cdf - term >= p) {
      cdf -= term;
      term /= ratio(law, k - 1);
      k--;
    }
    out[i] = k;
  }
  k = mode;
  cdf = cdfAtMode;
  term = atMode;
  let exhausted = false;
  for (let i = firstUp; i < ascending.length; i++) {
    const p = ascending[i] as number;
    while (!exhausted && cdf < p) {
      term *= ratio(law, k);
      k++;
      cdf += term;
      // Rounding can leave the summed mass a hair under p in the far tail; the remaining terms cannot move it.
      if (term < NEGLIGIBLE * cdf) exhausted = true;
    }
    out[i] = k;
  }
}

function assertMoments(mean: number, variance: number): void {
  if (!Number.isFinite(mean) || mean < 0) throw new RangeError(`count mean must be finite and ≥ 0, got ${mean}`);
  if (!Number.isFinite(variance) || variance < 0) throw new RangeError(`count variance must be finite and ≥ 0, got ${variance}`);
}

/**
 * The `p`-quantile (smallest k with P(X ≤ k) ≥ p) of a count distribution with the given mean and variance:
 * Poisson(mean) when `variance ≤ mean`, otherwise the negative binomial with the same two moments
 * (size `mean² / (variance − mean)`). Exact for any mean, except that a nearly symmetric distribution with a mean
 * above 1e5 uses a skew-corrected normal approximation (see the constants above for why). A mean of 0 gives 0.
 */
export function countQuantile(mean: number, variance: number, p: number): number {
  return countQuantiles(mean, variance, [p])[0] as number;
}

/**
 * {@link countQuantile} at each of `probabilities` (ascending), from one walk over the distribution: the same
 * numbers as one call per probability, for about the price of one.
 */
export function countQuantiles(mean: number, variance: number, probabilities: readonly number[]): number[] {
  assertMoments(mean, variance);
  probabilities.forEach((p, i) => {
    if (!(p > 0 && p < 1)) throw new RangeError(`quantile probability must be in (0, 1), got ${p}`);
    if (i > 0 && !(p >= (probabilities[i - 1] as number))) throw new RangeError(`quantile probabilities must ascend, got ${probabilities.join(', ')}`);
  });
  return quantilesOf(mean, variance, probabilities);
}

// countQuantiles without its checks, for callers that made them (or whose probabilities are constants).
function quantilesOf(mean: number, variance: number, ascending: readonly number[]): number[] {
  const out = new Array<number>(ascending.length).fill(0);
  if (mean === 0) return out;
  const poisson = variance <= mean * (1 + POISSON_RELATIVE_EPS);
  const size = poisson ? Infinity : (mean * mean) / (variance - mean);
  const effectiveVariance = poisson ? mean : variance;
  const sd = Math.sqrt(effectiveVariance);
  // Skewness of the negative binomial, (1 + q) / sqrt(size · q) with q = mean/(size + mean), in moments:
  // (2·variance − mean) · sd / (variance · mean); it is 1/sd for the Poisson.
  const skewness = ((2 * effectiveVariance - mean) * sd) / (effectiveVariance * mean);
  if (mean > APPROXIMATE_ABOVE_MEAN && skewness < APPROXIMATE_BELOW_SKEWNESS) {
    ascending.forEach((p, i) => {
      const z = normalQuantile(p, 0, 1);
      const w = z + ((z * z - 1) * skewness) / 6;
      out[i] = Math.max(0, Math.ceil(mean + sd * w - 0.5));
    });
    return out;
  }
  walkQuantiles(poisson ? poissonLaw(mean) : negativeBinomialLaw(mean, size), ascending, out);
  return out;
}

/**
 * The published bounds of a count with this mean and variance: its 2.5%, 25%, 75% and 97.5% quantiles
 * ({@link BOUND_PROBABILITIES}), widened to the mean where a quantile falls on the wrong side of it, so that
 * `lower95 ≤ lower50 ≤ mean ≤ upper50 ≤ upper95` always holds (design.md step 5).
 */
export function countBounds(mean: number, variance: number): ForecastBounds {
  assertMoments(mean, variance);
  const [q025, q25, q75, q975] = quantilesOf(mean, variance, BOUND_PROBABILITIES) as [number, number, number, number];
  const lower50 = Math.min(q25, mean);
  const upper50 = Math.max(q75, mean);
  return { lower95: Math.min(q025, lower50), lower50, upper50, upper95: Math.max(q975, upper50) };
}
