import { createRng, samplePoissonByInversion, toDayNumber } from '@funnelcast/core';
import { describe, expect, it } from 'vitest';
import { forecastEtsLevel, MIN_ETS_WEEKS } from './ets-level.js';
import type { DayShape } from '../recent-rate/recent-rate.js';
import { weekday } from '../testing/synthetic.js';

/** A B2B week (index 0 = Sunday), mean 1. */
const WEEK = [0.3, 1.3, 1.4, 1.3, 1.2, 1.0, 0.5];
const FIRST = toDayNumber('2024-01-01');
const weekly: DayShape = { factor: (day) => WEEK[weekday(day)] ?? 1, excluded: () => false };

function draw(seed: number, days: number, rate: (t: number) => number): number[] {
  const random = createRng(seed);
  return Array.from({ length: days }, (_, t) => samplePoissonByInversion(random, rate(t) * (WEEK[weekday(FIRST + t)] ?? 1)));
}

describe('forecastEtsLevel', () => {
  it('follows a step in the level: forecasts the new rate, not the old one or the average', () => {
    // Forty weeks at 10 a day, then twelve at 20.
    const days = 52 * 7;
    const values = draw(8, days, (t) => (t < 40 * 7 ? 10 : 20));
    const horizon = 28;
    const { mean } = forecastEtsLevel(values, FIRST, horizon, weekly);
    const first = FIRST + days;
    const rate = mean.reduce((a, m, h) => a + m / (WEEK[weekday(first + h)] ?? 1), 0) / horizon;
    expect(rate).toBeGreaterThan(18);
    expect(rate).toBeLessThan(22);
  });

  it('puts the day shape on the level, and ignores excluded days', () => {
    const days = 40 * 7;
    const values = draw(9, days, () => 10);
    // A holiday week at nothing, excluded: it must not drag the level down.
    const holiday = new Set(Array.from({ length: 7 }, (_, k) => FIRST + days - 14 + k));
    for (const day of holiday) values[day - FIRST] = 0;
    const shape: DayShape = { ...weekly, excluded: (day) => holiday.has(day) };
    const { mean } = forecastEtsLevel(values, FIRST, 14, shape);
    const first = FIRST + days;
    mean.forEach((m, h) => expect(m / (WEEK[weekday(first + h)] ?? 1)).toBeGreaterThan(8.5));
    const tuesday = mean.findIndex((_, h) => weekday(first + h) === 2);
    const sunday = mean.findIndex((_, h) => weekday(first + h) === 0);
    expect((mean[tuesday] ?? 0) / (mean[sunday] ?? 1)).toBeCloseTo(1.4 / 0.3, 6);
  });

  it('gives at least the counts noise, and more for days further out', () => {
    const values = draw(10, 52 * 7, () => 5);
    const { mean, variance } = forecastEtsLevel(values, FIRST, 60, weekly);
    variance.forEach((v, h) => expect(v).toBeGreaterThan(mean[h] ?? 0));
    // Same weekday, eight weeks apart: the level is less certain further out.
    const excess = (h: number): number => ((variance[h] ?? 0) - (mean[h] ?? 0)) / (mean[h] ?? 1) ** 2;
    expect(excess(56)).toBeGreaterThan(excess(0));
  });

  it('refuses a history of fewer usable weeks than it needs', () => {
    const values = draw(11, MIN_ETS_WEEKS * 7 - 1, () => 5);
    expect(() => forecastEtsLevel(values, FIRST, 7, weekly)).toThrow(/usable week/);
  });
});
