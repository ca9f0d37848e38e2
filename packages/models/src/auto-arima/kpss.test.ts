import { createRng } from '@funnelcast/core';
import { describe, expect, it } from 'vitest';
import { randomWalk, simulateArma } from '../testing/simulate-arima.js';
import { differencesNeeded, KPSS_CRITICAL_5, kpssStatistic } from './kpss.js';

describe('KPSS', () => {
  it('accepts white noise and a stationary AR(1), rejects a random walk', () => {
    expect(kpssStatistic(simulateArma(createRng(31), {}, 730))).toBeLessThan(KPSS_CRITICAL_5);
    expect(kpssStatistic(simulateArma(createRng(32), { ar: [0.6] }, 730))).toBeLessThan(KPSS_CRITICAL_5);
    expect(kpssStatistic(randomWalk(createRng(33), 730))).toBeGreaterThan(3 * KPSS_CRITICAL_5);
    expect(kpssStatistic(new Array<number>(50).fill(4))).toBe(0);
  });

  it('differences a random walk once, its running sum twice, a stationary series not at all', () => {
    const walk = randomWalk(createRng(34), 730, 50);
    expect(differencesNeeded(walk)).toBe(1);
    let sum = 0;
    expect(differencesNeeded(walk.map((y) => (sum += y)))).toBe(2);
    expect(differencesNeeded(simulateArma(createRng(35), { ar: [0.6], mean: 10 }, 730))).toBe(0);
  });
});
