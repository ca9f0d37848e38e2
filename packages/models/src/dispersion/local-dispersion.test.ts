import { createRng } from '@funnelcast/core';
import { describe, expect, it } from 'vitest';
import { localDispersion } from './local-dispersion.js';
import { negativeBinomial } from '../testing/synthetic.js';

describe('localDispersion', () => {
  it('recovers the overdispersion of negative-binomial counts and finds none in Poisson counts', () => {
    const random = createRng(31);
    const week = [2, 12, 14, 12, 11, 10, 3];
    const draw = (phi: number): number[] =>
      Array.from({ length: 364 }, (_, t) => negativeBinomial(random, week[t % 7] ?? 0, phi));
    expect(localDispersion(draw(0.3))).toBeGreaterThan(0.2);
    expect(localDispersion(draw(0.3))).toBeLessThan(0.4);
    expect(localDispersion(draw(0))).toBeLessThan(0.03);
  });

  it('is zero for histories too short to compare weeks, or without events', () => {
    expect(localDispersion([5, 6, 7])).toBe(0);
    expect(localDispersion(new Array<number>(60).fill(0))).toBe(0);
  });
});
