import { InputError, type PredictiveSeries } from '@funnelcast/core';
import { describe, expect, it } from 'vitest';
import { forecastEachSeries } from './forecast-each-series.js';
import { createSeasonalNaiveForecaster } from '../seasonal-naive/seasonal-naive-forecaster.js';

const AS_OF = '2025-03-01';
const series = ['a', 'b', 'c'].map((key, i) => ({ key, start: '2025-02-22', values: [i, 1, 2, 3, 4, 5, 6] }));
const echo = ({ series: s, horizon }: { series: { key: string }; horizon: number }): PredictiveSeries => ({
  key: s.key,
  method: 'echo',
  mean: new Array<number>(horizon).fill(1),
  variance: new Array<number>(horizon).fill(1),
});

describe('forecastEachSeries', () => {
  it('reports progress after each series and returns them in input order', async () => {
    const progress: [number, number][] = [];
    const out = await forecastEachSeries(
      { asOf: AS_OF, horizon: 2, series, onProgress: (done, total) => progress.push([done, total]) },
      echo,
    );
    expect(out.map((s) => s.key)).toEqual(['a', 'b', 'c']);
    expect(progress).toEqual([
      [1, 3],
      [2, 3],
      [3, 3],
    ]);
  });

  it('stops between series once the signal is aborted, with an AbortError', async () => {
    const signal = { aborted: false };
    const seen: string[] = [];
    const run = forecastEachSeries({ asOf: AS_OF, horizon: 2, series, signal, onProgress: () => (signal.aborted = true) }, (context) => {
      seen.push(context.series.key);
      return echo(context);
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen).toEqual(['a']);
  });

  it('does no work for a request aborted before it starts', async () => {
    const run = createSeasonalNaiveForecaster().forecast({ asOf: AS_OF, horizon: 2, series, signal: { aborted: true } });
    await expect(run).rejects.toThrowError(/aborted after 0 of 3/);
  });

  it('refuses a malformed request, listing every problem', async () => {
    const run = forecastEachSeries(
      {
        asOf: AS_OF,
        horizon: 2,
        series: [
          { key: 'late', start: '2025-02-25', values: [1, 2] },
          { key: 'late', start: '2025-02-27', values: [1, 2] },
        ],
      },
      echo,
    );
    const error = await run.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).problems.map((p) => p.where)).toEqual(['series[0] (late)', 'series[1]']);

    const shape = await forecastEachSeries(
      { asOf: '2025-02-30', horizon: 0, series: [{ key: 'x', start: '2025-02-28', values: [1, -1, Number.NaN] }] },
      echo,
    ).catch((e: unknown) => e);
    expect((shape as InputError).problems.map((p) => p.where).sort()).toEqual([
      'asOf',
      'horizon',
      'series[0].values[1]',
      'series[0].values[2]',
    ]);
  });
});
