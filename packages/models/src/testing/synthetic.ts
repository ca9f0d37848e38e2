import { addDays, samplePoissonByInversion, toDayNumber } from '@funnelcast/core';

/**
 * Seeded synthetic data for recovery tests: a known rate per day, Poisson counts drawn from it, and the count
 * interval a moment-matched predictive distribution gives, so coverage can be checked against the truth.
 */

/** A standard-normal draw (Box–Muller) from a uniform generator such as core's `createRng`. */
export function standardNormal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** A Gamma(shape, 1) draw (Marsaglia–Tsang), for negative-binomial counts. */
function gamma(random: () => number, shape: number): number {
  if (shape < 1) return gamma(random, shape + 1) * random() ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const z = standardNormal(random);
    const v = (1 + c * z) ** 3;
    if (v > 0 && Math.log(1 - random()) < 0.5 * z * z + d - d * v + d * Math.log(v)) return d * v;
  }
}

/** A negative-binomial draw with mean `rate` and variance `rate + phi·rate²` (Poisson when `phi` is 0). */
export function negativeBinomial(random: () => number, rate: number, phi: number): number {
  return phi > 0 ? samplePoissonByInversion(random, rate * phi * gamma(random, 1 / phi)) : samplePoissonByInversion(random, rate);
}

/** A series of `days` counts drawn at `rate(dayNumber)`, starting `days` days before `asOf`. */
export function drawSeries(
  random: () => number,
  asOf: string,
  days: number,
  rate: (dayNumber: number) => number,
): { start: string; values: number[] } {
  const start = addDays(asOf, -days);
  const first = toDayNumber(start);
  return { start, values: Array.from({ length: days }, (_, t) => samplePoissonByInversion(random, rate(first + t))) };
}

/**
 * The central count interval at `level` of the distribution core publishes for (mean, variance): negative binomial
 * by moment matching, Poisson when the variance does not exceed the mean.
 */
export function countInterval(mean: number, variance: number, level: number): [number, number] {
  if (mean <= 0) return [0, 0];
  const lowerP = (1 - level) / 2;
  const upperP = 1 - lowerP;
  let pmf: number;
  let next: (k: number, p: number) => number;
  if (variance <= mean) {
    pmf = Math.exp(-mean);
    next = (k, p) => (p * mean) / (k + 1);
  } else {
    const size = (mean * mean) / (variance - mean);
    const success = mean / variance;
    pmf = success ** size;
    next = (k, p) => (p * (k + size) * (1 - success)) / (k + 1);
  }
  let cdf = pmf;
  let k = 0;
  let lower = -1;
  for (; k < 100_000; k++) {
    if (lower < 0 && cdf >= lowerP) lower = k;
    if (cdf >= upperP) break;
    pmf = next(k, pmf);
    cdf += pmf;
  }
  return [lower < 0 ? k : lower, k];
}

/** Day of week of a day number, 0 = Sunday (as core's `calendarParts`). */
export function weekday(dayNumber: number): number {
  return (((dayNumber + 4) % 7) + 7) % 7;
}
