import { createRng } from '@funnelcast/core';
import { describe, expect, it } from 'vitest';
import { randomWalk, simulateArma } from '../testing/simulate-arima.js';
import { arimaSeries, fitArima } from './arima-fit.js';
import { forecastArima } from './arima-forecast.js';

describe('forecastArima', () => {
  it('reverts an AR(1) to its mean geometrically, with the AR(1) error variance', () => {
    const values = simulateArma(createRng(21), { ar: [0.6], mean: 20 }, 600);
    // End far above the mean, so the reversion is visible.
    values.push(30);
    const fit = fitArima(arimaSeries(values, 0), { p: 1, q: 0 });
    const phi = fit.phi[0] ?? 0;
    const { point, variance } = forecastArima(fit, values, 40);
    point.forEach((m, i) => expect(m).toBeCloseTo(fit.mean + phi ** (i + 1) * (30 - fit.mean), 9));
    expect(point[0]).toBeGreaterThan(24);
    expect(Math.abs((point[39] ?? 0) - 20)).toBeLessThan(0.3);
    variance.forEach((v, i) => expect(v).toBeCloseTo((fit.sigma2 * (1 - phi ** (2 * (i + 1)))) / (1 - phi * phi), 9));
  });

  it('holds a random walk at its last value with a variance growing linearly in the horizon', () => {
    const values = randomWalk(createRng(22), 400, 100, 2);
    const fit = fitArima(arimaSeries(values, 1), { p: 0, q: 0 });
    const { point, variance } = forecastArima(fit, values, 30);
    expect(point.every((m) => m === values.at(-1))).toBe(true);
    variance.forEach((v, i) => expect(v).toBeCloseTo(fit.sigma2 * (i + 1), 9));
    expect(fit.sigma2).toBeGreaterThan(3.5);
    expect(fit.sigma2).toBeLessThan(4.5);
  });

  it('extends a doubly differenced series along its last slope', () => {
    const values = Array.from({ length: 60 }, (_, t) => 3 + 2 * t + (t % 2) * 0.01);
    const fit = fitArima(arimaSeries(values, 2), { p: 0, q: 0 });
    const { point } = forecastArima(fit, values, 5);
    const last = values.at(-1) ?? 0;
    const slope = last - (values.at(-2) ?? 0);
    point.forEach((m, h) => expect(m).toBeCloseTo(last + slope * (h + 1), 9));
  });

  it('feeds the last residuals through the MA terms for the first days only', () => {
    const values = simulateArma(createRng(24), { ma: [0.7], mean: 5 }, 500);
    const fit = fitArima(arimaSeries(values, 0), { p: 0, q: 1 });
    const theta = fit.theta[0] ?? 0;
    const { point, variance } = forecastArima(fit, values, 3);
    expect(point[0]).toBeCloseTo(fit.mean + theta * (fit.residuals.at(-1) ?? 0), 9);
    expect(point[1]).toBeCloseTo(fit.mean, 9);
    expect(variance).toEqual([fit.sigma2, fit.sigma2 * (1 + theta * theta), fit.sigma2 * (1 + theta * theta)]);
  });
});
