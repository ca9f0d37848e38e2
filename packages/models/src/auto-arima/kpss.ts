import { difference } from './arima-fit.js';

/** The KPSS test's 5% critical value for level stationarity (Kwiatkowski, Phillips, Schmidt & Shin 1992, table 1). */
export const KPSS_CRITICAL_5 = 0.463;
/** The most differences `auto.arima` takes: beyond two, a daily count series is over-differenced. */
const MAX_DIFFERENCES = 2;

/**
 * The KPSS statistic for the null hypothesis that a series is stationary around a level: the scaled sum of squared
 * partial sums of the demeaned series, `Σ S_t² / (n² s²)`, over the Newey–West long-run variance `s²` with the
 * "short" lag `⌊4 (n/100)^¼⌋` (as R's `urca::ur.kpss`, which `auto.arima` uses). A random walk's partial sums wander,
 * so large values reject stationarity. A constant series is stationary: 0.
 */
export function kpssStatistic(values: ArrayLike<number>): number {
  const n = values.length;
  if (n < 2) return 0;
  let mean = 0;
  for (let t = 0; t < n; t++) mean += (values[t] ?? 0) / n;
  const e = new Float64Array(n);
  for (let t = 0; t < n; t++) e[t] = (values[t] ?? 0) - mean;
  const lags = Math.min(n - 1, Math.floor(4 * (n / 100) ** 0.25));
  let longRun = 0;
  for (let t = 0; t < n; t++) longRun += (e[t] ?? 0) ** 2;
  for (let s = 1; s <= lags; s++) {
    let cross = 0;
    for (let t = s; t < n; t++) cross += (e[t] ?? 0) * (e[t - s] ?? 0);
    longRun += 2 * (1 - s / (lags + 1)) * cross;
  }
  longRun /= n;
  if (!(longRun > 1e-12)) return 0;
  let partial = 0;
  let squares = 0;
  for (let t = 0; t < n; t++) {
    partial += e[t] ?? 0;
    squares += partial * partial;
  }
  return squares / (n * n * longRun);
}

/**
 * The Hyndman–Khandakar unit-root step: how many differences make the series look stationary, differencing until
 * the KPSS test at 5% no longer rejects (at most two).
 */
export function differencesNeeded(values: readonly number[]): number {
  let d = 0;
  while (d < MAX_DIFFERENCES && kpssStatistic(difference(values, d)) > KPSS_CRITICAL_5) d += 1;
  return d;
}
