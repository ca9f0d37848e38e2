import { describe, expect, it } from 'vitest';
import { horizonDispersion, type HorizonResidual } from './horizon-dispersion.js';

/** Residuals of one block whose moment estimate of φ is exactly `phi` (mean 10, squared error 10 + 100φ). */
function block(firstStep: number, phi: number): HorizonResidual[] {
  return Array.from({ length: 7 }, (_, i) => ({ step: firstStep + i, mean: 10, actual: 10 + Math.sqrt(10 + 100 * phi) }));
}

describe('horizonDispersion', () => {
  it('estimates φ per block and pools a dip so φ never falls with the horizon', () => {
    const phi = horizonDispersion([...block(0, 0.1), ...block(7, 0.3), ...block(14, 0.1), ...block(21, 0.5)], 28, 0);
    expect(phi[0]).toBeCloseTo(0.1, 9);
    expect(phi[7]).toBeCloseTo(0.2, 9);
    expect(phi[14]).toBeCloseTo(0.2, 9);
    expect(phi[27]).toBeCloseTo(0.5, 9);
    phi.forEach((p, h) => expect(p).toBeGreaterThanOrEqual(phi[h - 1] ?? 0));
  });

  it('carries the last observed block to farther steps and respects the floor', () => {
    const phi = horizonDispersion([...block(0, 0), ...block(7, 0.2)], 30, 0.05);
    expect(phi).toHaveLength(30);
    expect(phi[0]).toBeCloseTo(0.05, 9);
    expect(phi[29]).toBeCloseTo(0.2, 9);
  });

  it('falls back to the floor without residuals', () => {
    expect(horizonDispersion([], 3, 0.07)).toEqual([0.07, 0.07, 0.07]);
  });
});
