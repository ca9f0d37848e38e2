import { createRng, samplePoissonByInversion } from '@funnelcast/core';
import { describe, expect, it } from 'vitest';
import { fitPoissonRidge } from './poisson-ridge.js';

function simulate(rows: number, beta: readonly number[], seed: number): { x: Float64Array; y: Float64Array } {
  const random = createRng(seed);
  const cols = beta.length;
  const x = new Float64Array(rows * cols);
  const y = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let eta = 0;
    for (let j = 0; j < cols; j++) {
      const v = j === 0 ? 1 : random() * 2 - 1;
      x[i * cols + j] = v;
      eta += v * (beta[j] ?? 0);
    }
    y[i] = samplePoissonByInversion(random, Math.exp(eta));
  }
  return { x, y };
}

describe('fitPoissonRidge', () => {
  it('recovers the coefficients of a Poisson regression when the penalty is negligible', () => {
    const truth = [1.2, 0.8, -0.5, 0];
    const { x, y } = simulate(3000, truth, 1);
    const beta = fitPoissonRidge({ x, rows: 3000, cols: 4 }, y, 1e-6);
    truth.forEach((b, j) => expect(beta[j]).toBeCloseTo(b, 1));
  });

  it('shrinks the slopes toward zero, but not the intercept, as the penalty grows', () => {
    const { x, y } = simulate(500, [1, 0.8, -0.5], 2);
    const design = { x, rows: 500, cols: 3 };
    const light = fitPoissonRidge(design, y, 1e-6);
    const heavy = fitPoissonRidge(design, y, 1e6);
    expect(Math.abs(heavy[1] ?? 1)).toBeLessThan(0.01);
    expect(Math.abs(heavy[2] ?? 1)).toBeLessThan(0.01);
    // With the slopes gone the intercept is the log of the mean count.
    const mean = y.reduce((a, b) => a + b, 0) / 500;
    expect(heavy[0]).toBeCloseTo(Math.log(mean), 3);
    expect(Math.abs(light[1] ?? 0)).toBeGreaterThan(0.6);
  });

  it('stays finite on an all-zero response', () => {
    const { x } = simulate(50, [0, 1], 3);
    const beta = fitPoissonRidge({ x, rows: 50, cols: 2 }, new Float64Array(50), 1);
    expect([...beta].every(Number.isFinite)).toBe(true);
    expect(Math.exp(beta[0] ?? 0)).toBeLessThan(1e-3);
  });
});
