import { createRng, samplePoissonByInversion, toDayNumber } from '@funnelcast/core';
import { describe, expect, it } from 'vitest';
import { pooledCalendar, YEAR_DAYS } from './pooled-calendar.js';
import { weekday } from '../testing/synthetic.js';

/** A B2B week (index 0 = Sunday), mean 1. */
const WEEK = [0.3, 1.3, 1.4, 1.3, 1.2, 1.0, 0.5];
const FIRST = toDayNumber('2023-10-02');
const DAYS = 730;

/** A seasonal factor with a summer dip (days 180–240 of the history and again a year later). */
function season(day: number): number {
  const inYear = (day - FIRST) % YEAR_DAYS;
  return inYear >= 180 && inYear < 240 ? 0.7 : 1;
}

function draw(seed: number, rate: number, holidays: ReadonlySet<number> = new Set()): { startDay: number; values: number[] } {
  const random = createRng(seed);
  const values = Array.from({ length: DAYS }, (_, t) => {
    const day = FIRST + t;
    return samplePoissonByInversion(random, rate * (WEEK[weekday(day)] ?? 1) * season(day) * (holidays.has(day) ? 0.1 : 1));
  });
  return { startDay: FIRST, values };
}

describe('pooledCalendar', () => {
  const holidays = new Set([FIRST + 100, FIRST + 300, FIRST + 464]);
  const series = Array.from({ length: 12 }, (_, k) => draw(10 + k, 1 + k, holidays));
  const calendar = pooledCalendar(series);

  it('recovers the shared weekday profile from the sum of the series', () => {
    calendar.weekday.forEach((value, d) => expect(value).toBeCloseTo(WEEK[d] ?? 1, 1));
  });

  it('leaves out the days every series lost (holidays), and hardly any other', () => {
    for (const day of holidays) expect(calendar.excluded(day)).toBe(true);
    const others = Array.from({ length: DAYS }, (_, t) => FIRST + t).filter((day) => !holidays.has(day) && calendar.excluded(day));
    // At the sharp edges of the dip a noisy day can look like an event; leaving it out costs one day of fit.
    expect(others.length).toBeLessThanOrEqual(2);
  });

  it('reads the yearly factor from the same weeks a year earlier: low in the dip, back up after it', () => {
    const inDip = FIRST + YEAR_DAYS + 210;
    const after = FIRST + YEAR_DAYS + 300;
    const ratio = (calendar.yearly(inDip) ?? NaN) / (calendar.yearly(after) ?? NaN);
    expect(ratio).toBeGreaterThan(0.65);
    expect(ratio).toBeLessThan(0.8);
    // No year-ago window before the history's first year.
    expect(calendar.yearly(FIRST + 100)).toBeUndefined();
  });

  it('shrinks a yearly factor that is mostly noise toward flat', () => {
    // One flat, sparse series: its year-ago "seasons" are Poisson noise and must not move the forecast.
    const random = createRng(5);
    const flat = pooledCalendar([{ startDay: FIRST, values: Array.from({ length: DAYS }, () => samplePoissonByInversion(random, 0.5)) }]);
    for (let t = YEAR_DAYS + 28; t < DAYS; t += 7) expect(Math.abs((flat.yearly(FIRST + t) ?? 1) - 1)).toBeLessThan(0.08);
  });

  it('is neutral for an empty request', () => {
    const empty = pooledCalendar([]);
    expect(empty.weekday).toEqual([1, 1, 1, 1, 1, 1, 1]);
    expect(empty.excluded(FIRST)).toBe(false);
    expect(empty.yearly(FIRST)).toBeUndefined();
  });
});

describe('pooledCalendar on a real calendar', () => {
  const first = toDayNumber('2023-10-02');
  const day = toDayNumber;
  // Christmas and Thanksgiving empty the funnel in both years; one odd day in 2024 does too.
  const lost = new Set([day('2023-12-25'), day('2024-12-25'), day('2023-11-23'), day('2024-11-28'), day('2024-10-15')]);
  // A quiet week around 4 July in both years: a short season, too narrow for an eight-week level.
  const quiet = (d: number): boolean => (d >= day('2024-07-01') && d < day('2024-07-08')) || (d >= day('2025-06-30') && d < day('2025-07-07'));
  const random = createRng(77);
  const series = Array.from({ length: 8 }, (_, k) => ({
    startDay: first,
    values: Array.from({ length: DAYS }, (_, t) => {
      const d = first + t;
      return samplePoissonByInversion(random, (4 + k) * (WEEK[weekday(d)] ?? 1) * (lost.has(d) ? 0.1 : 1) * (quiet(d) ? 0.6 : 1));
    }),
  }));
  const calendar = pooledCalendar(series);

  it('forecasts a holiday every past year lost, by date and by weekday rule, and not a one-off', () => {
    expect(calendar.recurring(day('2025-12-25'))).toBeLessThan(0.2);
    expect(calendar.recurring(day('2025-11-27'))).toBeLessThan(0.2);
    expect(calendar.recurring(day('2025-12-24'))).toBe(1);
    expect(calendar.recurring(day('2025-10-15'))).toBe(1);
  });

  it('keeps a short season in the yearly factor and leaves ordinary weeks alone', () => {
    // The factor of 1–7 July 2025 is read from the quiet week of 2024 (52 weeks before).
    const inQuiet = calendar.yearly(day('2025-07-03')) ?? NaN;
    const before = calendar.yearly(day('2025-06-12')) ?? NaN;
    expect(inQuiet / before).toBeGreaterThan(0.5);
    expect(inQuiet / before).toBeLessThan(0.8);
    const ordinary = [day('2025-05-01'), day('2025-05-08'), day('2025-05-15')].map((d) => calendar.yearly(d) ?? NaN);
    expect(Math.max(...ordinary) / Math.min(...ordinary)).toBeLessThan(1.04);
  });
});
