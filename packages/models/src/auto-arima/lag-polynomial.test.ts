import { createRng } from '@funnelcast/core';
import { describe, expect, it } from 'vitest';
import { differencingPolynomial, multiply, stationaryCoefficients } from './lag-polynomial.js';

describe('lag polynomials', () => {
  it('multiplies and differences', () => {
    expect(multiply([1, -0.5], [1, 0.2])).toEqual([1, -0.3, -0.1]);
    expect(differencingPolynomial(0)).toEqual([1]);
    expect(differencingPolynomial(1)).toEqual([1, -1]);
    expect(differencingPolynomial(2)).toEqual([1, -2, 1]);
  });

  it('maps any real vector to a stationary AR polynomial, keeping earlier terms when a zero is appended', () => {
    expect(stationaryCoefficients([0.5])[0]).toBeCloseTo(Math.tanh(0.5), 14);
    const random = createRng(3);
    for (let i = 0; i < 200; i++) {
      const raw = [(random() - 0.5) * 10, (random() - 0.5) * 10];
      const [phi1 = 0, phi2 = 0] = stationaryCoefficients(raw);
      // The AR(2) stationarity triangle.
      expect(Math.abs(phi2)).toBeLessThan(1);
      expect(phi1 + phi2).toBeLessThan(1);
      expect(phi2 - phi1).toBeLessThan(1);
      const extended = stationaryCoefficients([...raw, 0]);
      expect(extended[0]).toBeCloseTo(phi1, 14);
      expect(extended[1]).toBeCloseTo(phi2, 14);
      expect(extended[2]).toBe(0);
    }
  });
});
