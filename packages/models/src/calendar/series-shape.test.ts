import { createRng, samplePoissonByInversion, toDayNumber } from '@funnelcast/core';
import { describe, expect, it } from 'vitest';
import { pooledCalendar } from './pooled-calendar.js';
import { seriesShape } from './series-shape.js';
import { weekday } from '../testing/synthetic.js';

const WEEK = [0.3, 1.3, 1.4, 1.3, 1.2, 1.0, 0.5];
const AS_OF = toDayNumber('2025-10-01');
const DAYS = 730;
const FIRST = AS_OF - DAYS;
/** 23–24 October, a trade show (weekdays in 2023, 2024 and 2025). */
const showDays = (year: number): number[] => [23, 24].map((d) => toDayNumber(`${year}-10-${d}`));

function draw(seed: number, rate: number, boost: ReadonlySet<number>): number[] {
  const random = createRng(seed);
  return Array.from({ length: DAYS }, (_, t) => samplePoissonByInversion(random, rate * (WEEK[weekday(FIRST + t)] ?? 1) * (boost.has(FIRST + t) ? 4 : 1)));
}

describe('seriesShape', () => {
  it('gives sparse series the weekday profile their busy siblings share', () => {
    const busy = Array.from({ length: 6 }, (_, k) => ({ startDay: FIRST, values: draw(k, 20, new Set()) }));
    const sparse = Array.from({ length: 10 }, (_, k) => ({ startDay: FIRST, values: draw(50 + k, 0.1, new Set()) }));
    const pooled = pooledCalendar([...busy, ...sparse]);
    // Mean absolute error of a week of factors (normalised to mean 1) against the true week.
    const error = (factor: (day: number) => number): number => {
      const week = Array.from({ length: 7 }, (_, h) => factor(AS_OF + h));
      const mean = week.reduce((a, b) => a + b, 0) / 7;
      return week.reduce((a, f, h) => a + Math.abs(f / mean - (WEEK[weekday(AS_OF + h)] ?? 1)), 0) / 7;
    };
    const average = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    const borrowed = average(sparse.map((s) => error((day) => seriesShape(s.values, FIRST, 28, pooled).factor(day))));
    const alone = average(sparse.map((s) => error((day) => seriesShape(s.values, FIRST, 28, pooledCalendar([s])).factor(day))));
    expect(borrowed).toBeLessThan(0.75 * alone);
    expect(borrowed).toBeLessThan(0.2);
  });

  it('expects a date that was special in every past year again, and leaves its past instances out of the fit', () => {
    const values = draw(7, 6, new Set([...showDays(2023), ...showDays(2024)]));
    const shape = seriesShape(values, FIRST, 30, pooledCalendar([{ startDay: FIRST, values }]));
    for (const day of showDays(2025)) {
      const ratio = shape.factor(day) / shape.factor(day - 7);
      expect(ratio).toBeGreaterThan(2.5);
      expect(ratio).toBeLessThan(6);
    }
    // An ordinary Wednesday differs from the one before by the yearly factor only.
    const ordinaryWeek = shape.factor(toDayNumber('2025-10-15')) / shape.factor(toDayNumber('2025-10-08'));
    expect(Math.abs(ordinaryWeek - 1)).toBeLessThan(0.05);
    // A weekday show day of 2024 is a departure of that year: not evidence about the level.
    expect(shape.excluded(toDayNumber('2024-10-23'))).toBe(true);
  });

  it('does not make a season of one odd year', () => {
    const values = draw(8, 6, new Set(showDays(2024)));
    const shape = seriesShape(values, FIRST, 30, pooledCalendar([{ startDay: FIRST, values }]));
    const day = toDayNumber('2025-10-23');
    expect(Math.abs(shape.factor(day) / shape.factor(day - 7) - 1)).toBeLessThan(0.05);
  });
});
