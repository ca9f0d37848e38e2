import { createRng, samplePoissonByInversion } from '@funnelcast/core';
import { describe, expect, it } from 'vitest';
import { randomWalk, simulateArma } from '../testing/simulate-arima.js';
import { CHI_SQUARED_6_AT_1_PERCENT, seasonalEffectStatistic, seasonalFactors, seasonallyAdjust } from './seasonal-decomposition.js';

/** A B2B week by position from the first day: quiet weekends, busy mid-week; mean 1. */
const WEEK = [0.3, 1.2, 1.3, 1.25, 1.2, 1.15, 0.6];

/** Poisson counts around `rate` times the week, over a level that grows by half over the series. */
function weeklyCounts(seed: number, rate: number, days: number): number[] {
  const random = createRng(seed);
  return Array.from({ length: days }, (_, t) => samplePoissonByInversion(random, rate * (1 + (0.5 * t) / days) * (WEEK[t % 7] ?? 1)));
}

describe('seasonal decomposition', () => {
  it('finds a weekday pattern in counts of two a day, and none in noise or in a random walk', () => {
    expect(seasonalEffectStatistic(weeklyCounts(61, 2, 365), 7)).toBeGreaterThan(5 * CHI_SQUARED_6_AT_1_PERCENT);
    expect(seasonalEffectStatistic(simulateArma(createRng(62), { ar: [0.6] }, 730), 7)).toBeLessThan(CHI_SQUARED_6_AT_1_PERCENT);
    expect(seasonalEffectStatistic(randomWalk(createRng(63), 730), 7)).toBeLessThan(CHI_SQUARED_6_AT_1_PERCENT);
    expect(seasonalEffectStatistic([1, 2, 3], 7)).toBe(0);
    expect(seasonalEffectStatistic(new Array<number>(60).fill(3), 7)).toBe(0);
    expect(seasonalEffectStatistic(Array.from({ length: 28 }, (_, t) => (t % 7 === 0 ? 0 : 3)), 7)).toBe(Number.POSITIVE_INFINITY);
  });

  it('recovers the weekly factors of a growing count series', () => {
    const factors = seasonalFactors(weeklyCounts(64, 10, 730), 7);
    expect(factors.reduce((a, b) => a + b, 0) / 7).toBeCloseTo(1, 12);
    factors.forEach((f, i) => expect(Math.abs(f / (WEEK[i] ?? 1) - 1)).toBeLessThan(0.06));
  });

  it('gives a weekday that never saw an event a factor of zero, and is flat for a history too short to tell', () => {
    const values = Array.from({ length: 140 }, (_, t) => (t % 7 === 0 ? 0 : 6));
    const factors = seasonalFactors(values, 7);
    expect(factors[0]).toBe(0);
    factors.slice(1).forEach((f) => expect(f).toBeCloseTo(7 / 6, 12));
    expect(seasonalFactors([4, 5, 6, 7, 8, 9, 10, 11, 12, 13], 7)).toEqual(new Array<number>(7).fill(1));
  });

  it('adjusts pseudo-additively: a deterministic week becomes its level, a stray event on a zero day adds one', () => {
    const values = Array.from({ length: 140 }, (_, t) => (t % 7 === 0 ? 0 : 6));
    const factors = seasonalFactors(values, 7);
    seasonallyAdjust(values, factors).forEach((a) => expect(a).toBeCloseTo(36 / 7, 12));
    const stray = values.map((y, t) => (t === 70 ? 1 : y));
    const adjusted = seasonallyAdjust(stray, factors);
    // Day 70's level now includes the event (1/7), so its adjusted value is 1 + the new level, not 1/f = ∞.
    expect(adjusted[70]).toBeCloseTo(1 + 37 / 7, 12);
    expect(seasonallyAdjust([1, 2, 3], [1, 1, 1, 1, 1, 1, 1])).toEqual([1, 2, 3]);
  });
});
