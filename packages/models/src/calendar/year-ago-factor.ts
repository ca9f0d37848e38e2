import { pooledTotals, YEAR_DAYS, type CalendarSeries } from './pooled-calendar.js';
import { shrinkBeyondNoise } from '../dispersion/shrink-beyond-noise.js';

/**
 * Days before the origin, a year earlier, that the target weeks are compared with. Sixteen weeks, not four: the
 * V3.1 ridge's level is partly its 7- and 28-day lags and partly its trend, fitted on all the history. Measured
 * on the demo's known expected future, a four-week reference over-corrects after a dip the model never carried
 * forward (a September forecast, after August), and the whole year needs a detrending the short histories this
 * factor is for cannot give.
 */
const REFERENCE_DAYS = 112;
/** The shortest reference the start of the history may leave: four weeks, what the longest lag sees. */
const MIN_REFERENCE_DAYS = 28;
/**
 * Half-width of the window around each step a year earlier. Eight weeks in all: every weekday counts alike and a
 * small team's pooled counts give a steadier ratio, yet a summer dip (about as wide) keeps most of its depth.
 */
const HALF_WINDOW = 28;
/** A ratio is kept only where it is well beyond its noise: `NOISE_MULTIPLE` noise variances and more. */
const NOISE_MULTIPLE = 4;

/** Log growth per day: the last year's counts over the same calendar days one year earlier, so no season enters. */
function yearOnYearGrowth(totals: Float64Array): number {
  let recent = 0;
  let yearAgo = 0;
  for (let t = YEAR_DAYS; t < totals.length; t++) {
    recent += totals[t] ?? 0;
    yearAgo += totals[t - YEAR_DAYS] ?? 0;
  }
  return recent > 0 && yearAgo > 0 ? Math.log(recent / yearAgo) / YEAR_DAYS : 0;
}

function sumOf(totals: Float64Array, from: number, to: number): number {
  let sum = 0;
  for (let t = from; t < to; t++) sum += totals[t] ?? 0;
  return sum;
}

/**
 * The year-ago seasonal factor of each of `horizon` days from `endDay` (the origin: the history is the days
 * before it), pooled across the series of a request: what the same weeks one year ({@link YEAR_DAYS}, 52 weeks, so
 * weekdays line up) earlier did relative to the weeks before them.
 *
 * A model that carries its level forward through lags and a trend cannot see a season it has seen only once (the
 * yearly Fourier terms need two cycles); a year earlier, the same change from the weeks before the origin to the
 * weeks after it did happen. For step `h` the log ratio is
 *
 * `r = log(rate in the eight weeks around origin − 364 + h) − log(rate in the 16 weeks before origin − 364) − g·gap`,
 *
 * with `g` the year-on-year growth per day (the last year's counts over the same days a year earlier, so no season
 * enters it) and `gap` the days between the two windows' centres: the trend the model forecasts on its own is
 * taken out. The series are summed first, because a segment's own counts are too few to tell a season from noise.
 * The ratio's Poisson noise `v = 1/A + 1/B` (A, B the two windows' counts) decides how much is kept: `r` is
 * shrunk to `max(0, 1 − 4v/r²)·r`, so a ratio within two standard errors of none is dropped and a clear one is kept
 * nearly whole — a small team's year-ago weeks, as noisy as the season itself, change nothing.
 *
 * A step gets 1 where the history does not hold its year-ago window (under a year and four weeks of history, or a
 * horizon of nearly a year).
 */
export function yearAgoFactor(series: readonly CalendarSeries[], endDay: number, horizon: number): number[] {
  const neutral = new Array<number>(horizon).fill(1);
  const present = series.filter((s) => s.values.length > 0 && s.startDay < endDay);
  if (present.length === 0) return neutral;
  const firstDay = Math.min(...present.map((s) => s.startDay));
  const totals = pooledTotals(present, firstDay, endDay - firstDay);
  const referenceEnd = totals.length - YEAR_DAYS;
  const referenceStart = Math.max(0, referenceEnd - REFERENCE_DAYS);
  const referenceDays = referenceEnd - referenceStart;
  if (referenceDays < MIN_REFERENCE_DAYS) return neutral;
  const reference = sumOf(totals, referenceStart, referenceEnd);
  if (!(reference > 0)) return neutral;
  const growth = yearOnYearGrowth(totals);
  return neutral.map((one, step) => {
    const centre = referenceEnd + step;
    if (centre + HALF_WINDOW > totals.length) return one;
    const target = sumOf(totals, centre - HALF_WINDOW, centre + HALF_WINDOW);
    if (!(target > 0)) return one;
    const ratio =
      Math.log(target / (2 * HALF_WINDOW)) - Math.log(reference / referenceDays) - growth * (step + referenceDays / 2);
    const noise = 1 / target + 1 / reference;
    return Math.exp(shrinkBeyondNoise(ratio, noise, NOISE_MULTIPLE));
  });
}
