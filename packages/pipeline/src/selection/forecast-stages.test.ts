import { describe, expect, it } from 'vitest';
import { SELECTION, selectionOriginCount } from './forecast-stages.js';

describe('selectionOriginCount', () => {
  it('scores every origin up to 250 series, so the benchmarks and teams of that size select as before', () => {
    for (const series of [1, 19, 240, 250]) expect(selectionOriginCount(series)).toBe(SELECTION.origins);
  });

  it('scores fewer origins for a wide stage, keeping series × origins within the budget', () => {
    expect(selectionOriginCount(251)).toBe(5);
    expect(selectionOriginCount(500)).toBe(3);
    expect(selectionOriginCount(700) * 700).toBeLessThanOrEqual(SELECTION.seriesOrigins);
  });

  it('never scores fewer than two origins, however wide', () => {
    expect(selectionOriginCount(959)).toBe(SELECTION.minOrigins);
    expect(selectionOriginCount(100_000)).toBe(SELECTION.minOrigins);
  });
});
