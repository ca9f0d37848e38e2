import { createRng } from '@funnelcast/core';
import { describe, expect, it } from 'vitest';
import { randomWalk, simulateArma } from '../testing/simulate-arima.js';
import { forecastArima } from './arima-forecast.js';
import { autoArima } from './auto-arima.js';

describe('autoArima', () => {
  it('picks the order that generated the data when the case is clear: a cyclical AR(2), in four series of five at least', () => {
    // AICc is efficient, not consistent: now and then a spurious term pays for itself. It must never underfit.
    const fits = [41, 42, 43, 44, 45].map((seed) => autoArima(simulateArma(createRng(seed), { ar: [1, -0.5], mean: 8 }, 730)));
    const exact = fits.filter((fit) => fit.order.p === 2 && fit.order.q === 0);
    expect(exact.length).toBeGreaterThanOrEqual(4);
    expect(fits.every((fit) => fit.order.p === 2 && fit.order.d === 0)).toBe(true);
    for (const fit of exact) {
      expect(Math.abs((fit.phi[0] ?? 0) - 1)).toBeLessThan(0.08);
      expect(Math.abs((fit.phi[1] ?? 0) + 0.5)).toBeLessThan(0.08);
    }
  });

  it('picks a strong MA(1) over AR approximations of it', () => {
    const fit = autoArima(simulateArma(createRng(46), { ma: [0.8], mean: 8 }, 730));
    expect(fit.order).toEqual({ p: 0, d: 0, q: 1 });
    expect(Math.abs((fit.theta[0] ?? 0) - 0.8)).toBeLessThan(0.06);
  });

  it('forecasts white noise at its mean, even when a cancelling ARMA(1,1) slips through', () => {
    // An ARMA(1,1) with φ ≈ −θ is white noise in disguise, and its AICc can beat white noise's by chance (its φ is
    // not identified when θ = −φ, so the usual χ² penalty undercharges it). Whatever is picked must forecast alike.
    for (const seed of [47, 48, 49, 50, 51]) {
      const values = simulateArma(createRng(seed), { mean: 5 }, 730);
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      const { point } = forecastArima(autoArima(values), values, 30);
      expect(Math.max(...point.map((m) => Math.abs(m - mean)))).toBeLessThan(0.25);
    }
  });

  it('models a random walk with one difference and nothing else', () => {
    expect(autoArima(randomWalk(createRng(52), 730, 50)).order).toEqual({ p: 0, d: 1, q: 0 });
  });
});
