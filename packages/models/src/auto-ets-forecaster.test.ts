import { describe, expect, it } from 'vitest';
import { createAutoEtsForecaster, V1_AUTOETS } from './auto-ets-forecaster.js';
import { drawSeries, seededRandom } from './testing/synthetic.js';
import { ALL_ZERO_METHOD, INTERMITTENT_METHOD } from './with-fallback.js';

describe('createAutoEtsForecaster', () => {
  it('forecasts a level series near its rate, with intervals no narrower than Poisson', async () => {
    const asOf = '2025-05-01';
    const forecasts = await createAutoEtsForecaster().forecast({
      asOf,
      horizon: 30,
      series: [
        { key: 'level', ...drawSeries(seededRandom(9), asOf, 200, () => 12) },
        { key: 'short', ...drawSeries(seededRandom(10), asOf, 5, () => 12) },
        { key: 'zero', start: '2025-01-01', values: new Array<number>(120).fill(0) },
      ],
    });
    expect(forecasts.map((f) => f.method)).toEqual([V1_AUTOETS, INTERMITTENT_METHOD, ALL_ZERO_METHOD]);
    const [level] = forecasts;
    expect(level?.mean.every((m) => Math.abs(m - 12) < 1.5)).toBe(true);
    expect(level?.variance.every((v, h) => v >= (level.mean[h] ?? 0))).toBe(true);
  });
});
