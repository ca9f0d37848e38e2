import { toDayNumber } from '@funnelcast/core';
import { describe, expect, it, vi } from 'vitest';
import { mstlWeeklyProfile } from './mstl-weekly.js';
import { weekdayProfile } from './weekday-profile.js';

// augurs refuses some series ("no model found"); a refusal is simulated here because no finite count history is
// known to trigger it.
vi.mock('../augurs/augurs-wasm.js', () => ({
  loadMstl: () => ({
    MSTL: {
      ets: () => ({
        fit: () => {
          throw new Error('Fit error: trend model error: no model found');
        },
        predictInSample: () => ({ point: [] }),
        free: () => undefined,
      }),
    },
  }),
}));

describe('mstlWeeklyProfile when augurs cannot fit', () => {
  it('falls back to the plain weekday means of the history instead of failing the request', () => {
    const first = toDayNumber('2024-01-07'); // a Sunday
    const values = Array.from({ length: 84 }, (_, t) => [1, 6, 7, 6, 6, 5, 2][t % 7] ?? 0);
    const profile = mstlWeeklyProfile(values, first);
    expect(profile).toEqual(weekdayProfile(values, first));
    expect(profile[2]).toBeGreaterThan(3 * (profile[0] ?? 0));
  });
});
