import { createRng, samplePoissonByInversion, toDayNumber } from '@funnelcast/core';
import { describe, expect, it } from 'vitest';
import { mstlWeeklyProfile } from './mstl-weekly.js';
import { weekday } from '../testing/synthetic.js';

/** A B2B week (index 0 = Sunday), mean 1. */
const WEEK = [0.3, 1.3, 1.4, 1.3, 1.2, 1.0, 0.5];
const FIRST = toDayNumber('2024-01-01');
const DAYS = 364;

describe('mstlWeeklyProfile', () => {
  it('recovers a shared weekly shape from the sum of many sparse series that cannot show it alone', () => {
    const random = createRng(21);
    // Forty series at half a lead a day: each sees a Sunday lead every few weeks, their sum about twenty a day.
    const series = Array.from({ length: 40 }, () =>
      Array.from({ length: DAYS }, (_, t) => samplePoissonByInversion(random, 0.5 * (WEEK[weekday(FIRST + t)] ?? 1))),
    );
    const sum = Array.from({ length: DAYS }, (_, t) => series.reduce((a, s) => a + (s[t] ?? 0), 0));
    const profile = mstlWeeklyProfile(sum, FIRST);

    expect(profile).toHaveLength(7);
    expect(profile.reduce((a, b) => a + b, 0) / 7).toBeCloseTo(1, 6);
    profile.forEach((value, d) => expect(Math.abs(value - (WEEK[d] ?? 1))).toBeLessThan(0.12));
    // One series alone gives a shape far from the truth: the reason the shape is pooled.
    const alone = mstlWeeklyProfile(series[0] ?? [], FIRST);
    const error = (p: readonly number[]): number => p.reduce((a, v, d) => a + Math.abs(v - (WEEK[d] ?? 1)), 0);
    expect(error(alone)).toBeGreaterThan(2 * error(profile));
  });

  it('reads the last year only when the routine changed, unbent by a rising trend', () => {
    const random = createRng(4);
    // A flat week in the first year, the B2B week in the second, on a level rising from 100 to 300 a day.
    const days = 2 * DAYS;
    const values = Array.from({ length: days }, (_, t) => {
      const shape = t < DAYS ? 1 : (WEEK[weekday(FIRST + t)] ?? 1);
      return samplePoissonByInversion(random, (100 + (200 * t) / days) * shape);
    });
    const profile = mstlWeeklyProfile(values, FIRST);
    profile.forEach((value, d) => expect(Math.abs(value - (WEEK[d] ?? 1))).toBeLessThan(0.05));
  });

  it('is flat for a history shorter than two weeks', () => {
    expect(mstlWeeklyProfile([5, 0, 3, 9, 1, 2, 4, 6, 8, 1, 0, 3, 2], FIRST)).toEqual([1, 1, 1, 1, 1, 1, 1]);
    expect(mstlWeeklyProfile([], FIRST)).toEqual([1, 1, 1, 1, 1, 1, 1]);
  });
});
