import { describe, expect, it } from 'vitest';
import { minimiseNelderMead } from './nelder-mead.js';

describe('minimiseNelderMead', () => {
  it('finds the minimum of the Rosenbrock valley from the textbook start', () => {
    const rosenbrock = ([x = 0, y = 0]: readonly number[]) => 100 * (y - x * x) ** 2 + (1 - x) ** 2;
    const found = minimiseNelderMead(rosenbrock, [-1.2, 1], { tolerance: 1e-12, maxEvaluations: 2000 });
    expect(found.x[0]).toBeCloseTo(1, 4);
    expect(found.x[1]).toBeCloseTo(1, 4);
    expect(found.value).toBeLessThan(1e-8);
  });

  it('recovers the centre of a six-dimensional bowl with unequal axes', () => {
    const bowl = (x: readonly number[]) => x.reduce((sum, v, i) => sum + (i + 1) * (v - i) ** 2, 0);
    const found = minimiseNelderMead(bowl, [0, 0, 0, 0, 0, 0], { tolerance: 1e-14, maxEvaluations: 20_000 });
    found.x.forEach((v, i) => expect(v).toBeCloseTo(i, 3));
  });

  it('stops at its evaluation budget', () => {
    const found = minimiseNelderMead(([x = 0]) => (x - 100) ** 2, [0], { maxEvaluations: 10 });
    expect(found.evaluations).toBeLessThanOrEqual(12);
    expect(found.x[0]).not.toBeCloseTo(100, 0);
  });

  it('treats NaN and Infinity as refusals, staying inside the feasible region', () => {
    const found = minimiseNelderMead(([x = 0]) => (x < 1 ? Number.NaN : x * x), [3], { tolerance: 1e-12 });
    expect(found.x[0]).toBeGreaterThanOrEqual(1);
    expect(found.x[0]).toBeCloseTo(1, 3);
  });

  it('evaluates a zero-dimensional problem once', () => {
    expect(minimiseNelderMead(() => 7, [])).toEqual({ x: [], value: 7, evaluations: 1 });
  });
});
