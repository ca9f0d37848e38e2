import { createRng } from '@funnelcast/core';
import { describe, expect, it } from 'vitest';
import { randomWalk, simulateArma } from '../testing/simulate-arima.js';
import { arimaSeries, difference, fitArima } from './arima-fit.js';

describe('fitArima (conditional sum of squares)', () => {
  it('recovers an AR(1) with φ = 0.6, its mean and its noise variance', () => {
    const values = simulateArma(createRng(11), { ar: [0.6], mean: 10, sigma: 2 }, 2000);
    const fit = fitArima(arimaSeries(values, 0), { p: 1, q: 0 });
    expect(Math.abs((fit.phi[0] ?? 0) - 0.6)).toBeLessThan(0.04);
    expect(Math.abs(fit.mean - 10)).toBeLessThan(0.25);
    expect(fit.sigma2 / 4).toBeGreaterThan(0.93);
    expect(fit.sigma2 / 4).toBeLessThan(1.07);
  });

  it('recovers an MA(1) with θ = 0.5', () => {
    const values = simulateArma(createRng(12), { ma: [0.5], mean: 3 }, 2000);
    const fit = fitArima(arimaSeries(values, 0), { p: 0, q: 1 });
    expect(Math.abs((fit.theta[0] ?? 0) - 0.5)).toBeLessThan(0.05);
    expect(Math.abs(fit.sigma2 - 1)).toBeLessThan(0.07);
  });

  it('searches the whole invertible region: an MA(2) with θ = (−0.6, 0.5), outside the AR stationarity triangle', () => {
    const values = simulateArma(createRng(15), { ma: [-0.6, 0.5] }, 2000);
    const fit = fitArima(arimaSeries(values, 0), { p: 0, q: 2 });
    expect(Math.abs((fit.theta[0] ?? 0) + 0.6)).toBeLessThan(0.05);
    expect(Math.abs((fit.theta[1] ?? 0) - 0.5)).toBeLessThan(0.05);
  });

  it.each([
    { ar: [0.6], ma: [0.4] },
    { ar: [0.5, -0.3], ma: [0.4] },
    { ar: [-0.5], ma: [0.3, 0.4] },
    { ar: [0.6, -0.5], ma: [0.5, 0.4] },
  ])('recovers an ARMA with AR $ar and MA $ma: each order up to (2, 2) has a loop of its own', ({ ar, ma }) => {
    const values = simulateArma(createRng(16), { ar, ma, mean: 5 }, 3000);
    const fit = fitArima(arimaSeries(values, 0), { p: ar.length, q: ma.length }, { conditioning: 2 });
    ar.forEach((a, i) => expect(Math.abs((fit.phi[i] ?? 0) - a)).toBeLessThan(0.08));
    ma.forEach((b, j) => expect(Math.abs((fit.theta[j] ?? 0) - b)).toBeLessThan(0.08));
    expect(Math.abs(fit.sigma2 - 1)).toBeLessThan(0.07);
  });

  it('differences a random walk into its steps and fits no constant to them', () => {
    const values = randomWalk(createRng(13), 1500, 40, 0.5);
    const fit = fitArima(arimaSeries(values, 1), { p: 0, q: 0 });
    expect(fit.mean).toBe(0);
    expect(Math.abs(fit.sigma2 / 0.25 - 1)).toBeLessThan(0.08);
  });

  it('scores a nested model no better than the order that generated the data, on the same days', () => {
    const values = simulateArma(createRng(14), { ar: [0.5, -0.3] }, 1000);
    const truth = fitArima(arimaSeries(values, 0), { p: 2, q: 0 }, { conditioning: 2 });
    const smaller = fitArima(arimaSeries(values, 0), { p: 1, q: 0 }, { conditioning: 2 });
    expect(truth.aicc).toBeLessThan(smaller.aicc - 20);
    expect(truth.residuals.length).toBe(1000);
    expect(Array.from(truth.residuals.slice(0, 2))).toEqual(new Array<number>(2).fill(0));
  });

  it('differences by day', () => {
    const values = Array.from({ length: 20 }, (_, t) => t * t);
    expect(Array.from(difference(values, 1)).slice(0, 3)).toEqual([1, 3, 5]);
    expect(Array.from(difference(values, 2))).toEqual(new Array<number>(18).fill(2));
    expect(Array.from(difference(values, 0))).toEqual(values);
  });
});
