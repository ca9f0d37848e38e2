import { createRng, samplePoissonByInversion, toDayNumber } from '@funnelcast/core';
import { describe, expect, it } from 'vitest';
import { YEAR_DAYS } from './pooled-calendar.js';
import { weekday } from '../testing/synthetic.js';
import { yearAgoFactor } from './year-ago-factor.js';

const WEEK = [0.3, 1.3, 1.4, 1.3, 1.2, 1.0, 0.5];
const FIRST = toDayNumber('2024-01-01');
/** Under two years, as the backtests of a young warehouse are. */
const DAYS = 560;
const END = FIRST + DAYS;
const HORIZON = 30;
const GROWTH_PER_DAY = 0.15 / 365;
/** A summer dip 40% deep, centred three weeks after the same date a year before `END`. */
const DIP_CENTRE = END - YEAR_DAYS + 21;

function season(day: number): number {
  const phase = (((day - DIP_CENTRE) % YEAR_DAYS) + YEAR_DAYS) % YEAR_DAYS;
  const distance = Math.min(phase, YEAR_DAYS - phase);
  return 1 - 0.4 * Math.exp(-0.5 * (distance / 20) ** 2);
}

const rate = (level: number, withSeason: boolean, growth = GROWTH_PER_DAY) => (day: number) =>
  level * Math.exp(growth * (day - FIRST)) * (WEEK[weekday(day)] ?? 1) * (withSeason ? season(day) : 1);

function draw(seed: number, rateAt: (day: number) => number, days = DAYS): { startDay: number; values: number[] } {
  const random = createRng(seed);
  return { startDay: END - days, values: Array.from({ length: days }, (_, t) => samplePoissonByInversion(random, rateAt(END - days + t))) };
}

/** The same ratio from the rates themselves: target weeks over the 16 weeks before, a year earlier, trend removed. */
function trueFactor(step: number): number {
  const mean = (from: number, to: number) => {
    let sum = 0;
    for (let day = from; day < to; day++) sum += season(day);
    return sum / (to - from);
  };
  const origin = END - YEAR_DAYS;
  return mean(origin + step - 28, origin + step + 28) / mean(origin - 112, origin);
}

describe('yearAgoFactor', () => {
  it('recovers the dip a year earlier from segments pooled together, trend taken out', () => {
    const series = [draw(1, rate(60, true)), draw(2, rate(24, true)), draw(3, rate(6, true), 400)];
    const factor = yearAgoFactor(series, END, HORIZON);
    expect(factor).toHaveLength(HORIZON);
    for (const step of [0, 10, 20, 29]) expect(factor[step] ?? NaN).toBeCloseTo(trueFactor(step), 1);
    // The test has teeth: the dip is deep where the factor is read.
    expect(trueFactor(20)).toBeLessThan(0.8);
    expect(Math.abs((factor[20] ?? NaN) / trueFactor(20) - 1)).toBeLessThan(0.05);
  });

  it('sees no season in a series that only grows, however fast', () => {
    // 60% a year: left in, the trend alone would put the factor near 1.12.
    const factor = yearAgoFactor([draw(4, rate(40, false, 0.6 / 365))], END, HORIZON);
    for (const f of factor) expect(Math.abs(f - 1)).toBeLessThan(0.04);
  });

  it('drops a ratio its noise could explain: a small team’s year-ago weeks change nothing', () => {
    const factor = yearAgoFactor([draw(5, rate(0.4, true))], END, HORIZON);
    for (const f of factor) expect(Math.abs(f - 1)).toBeLessThan(0.05);
    expect(factor.filter((f) => f === 1).length).toBeGreaterThan(HORIZON / 2);
  });

  it('is 1 without a year-ago window: a short history, steps near a year out, no series', () => {
    expect(yearAgoFactor([draw(6, rate(20, true), YEAR_DAYS + 20)], END, HORIZON)).toEqual(new Array(HORIZON).fill(1));
    // From step 337 the eight weeks around the year-ago day run past the history's end.
    const long = yearAgoFactor([draw(7, rate(20, true))], END, YEAR_DAYS);
    expect(long.slice(337)).toEqual(new Array(YEAR_DAYS - 337).fill(1));
    expect(long[20]).toBeLessThan(0.85);
    expect(yearAgoFactor([], END, 3)).toEqual([1, 1, 1]);
  });
});
