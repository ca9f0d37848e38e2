import { standardNormal } from './synthetic.js';

/** What {@link simulateArma} draws: `y_t = mean + x_t`, `x_t = Σ ar_i x_{t−i} + e_t + Σ ma_j e_{t−j}`. */
export interface ArmaProcess {
  readonly ar?: readonly number[];
  readonly ma?: readonly number[];
  /** @defaultValue 0 */
  readonly mean?: number;
  /** Standard deviation of `e_t`. @defaultValue 1 */
  readonly sigma?: number;
}

/** `days` values of a Gaussian ARMA process, after a burn-in of 200 days that lets it forget its zero start. */
export function simulateArma(random: () => number, process: ArmaProcess, days: number): number[] {
  const { ar = [], ma = [], mean = 0, sigma = 1 } = process;
  const burnIn = 200;
  const x: number[] = [];
  const e: number[] = [];
  for (let t = 0; t < burnIn + days; t++) {
    const noise = sigma * standardNormal(random);
    let value = noise;
    ar.forEach((a, i) => (value += a * (x[t - i - 1] ?? 0)));
    ma.forEach((b, j) => (value += b * (e[t - j - 1] ?? 0)));
    x.push(value);
    e.push(noise);
  }
  return x.slice(burnIn).map((v) => v + mean);
}

/** A Gaussian random walk of `days` steps from `start`. */
export function randomWalk(random: () => number, days: number, start = 0, sigma = 1): number[] {
  const out: number[] = [];
  for (let t = 0, level = start; t < days; t++) out.push((level += sigma * standardNormal(random)));
  return out;
}
