import { arimaSeries, fitArima, type ArimaFit } from './arima-fit.js';
import { differencesNeeded } from './kpss.js';

/** The largest AR and MA orders searched: higher orders overfit daily counts and forecast no better. */
const MAX_ORDER = 2;
/** AICc differences below 2 are no real evidence for the larger model (Burnham & Anderson 2002, §2.6). */
const SUPPORT = 2;

/**
 * Chooses and fits an ARIMA(p,d,q) the way `auto.arima` does (Hyndman & Khandakar 2008): `d` by KPSS tests
 * ({@link differencesNeeded}), then the order by AICc, here over the whole grid `p, q ≤ 2` (nine fits, fewer than a
 * stepwise search would try from its four starting orders). Among the orders within {@link SUPPORT} of the lowest
 * AICc, the one with the fewest coefficients wins: an ARMA with a cancelling AR and MA pair is the true model in
 * disguise, and a whole grid offers several, so the plain minimum overfits far more often than AICc's penalty
 * suggests. Every fit is scored on the same days, so their AICc compare like for like, and each starts from the
 * optimum of the order one term smaller: the new term's parameter starts at zero, which (see
 * `stationaryCoefficients`) leaves that optimum's polynomials as they were.
 */
export function autoArima(values: readonly number[]): ArimaFit {
  const series = arimaSeries(values, differencesNeeded(values));
  const grid: ArimaFit[][] = [];
  for (let p = 0; p <= MAX_ORDER; p++) {
    const row: ArimaFit[] = [];
    for (let q = 0; q <= MAX_ORDER; q++) {
      // Along a row the new term is an MA one; a row's first fit grows the AR side of the one above.
      const smaller = q > 0 ? row[q - 1] : grid[p - 1]?.[0];
      const start = smaller ? { start: [...smaller.raw, 0] } : {};
      row.push(fitArima(series, { p, q }, { conditioning: MAX_ORDER, ...start }));
    }
    grid.push(row);
  }
  const fits = grid.flat();
  const lowest = Math.min(...fits.map((fit) => fit.aicc));
  const size = (fit: ArimaFit): number => fit.order.p + fit.order.q;
  return fits
    .filter((fit) => fit.aicc <= lowest + SUPPORT)
    .reduce((best, fit) => (size(fit) < size(best) || (size(fit) === size(best) && fit.aicc < best.aicc) ? fit : best));
}
