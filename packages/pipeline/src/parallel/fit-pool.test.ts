import { addDays, createRng, MSTL_ETS, SEASONAL_NAIVE, samplePoissonByInversion, V1_AUTO_ARIMA, type DailySeries } from '@funnelcast/core';
import { createForecaster, EMBEDDED_MODELS } from '@funnelcast/models';
import { afterEach, describe, expect, it } from 'vitest';
import { openFitPool, type FitPool } from './fit-pool.js';

// The tests run this package's sources, but a worker thread needs JavaScript: the built worker (turbo builds before
// testing).
const BUILT_WORKER = new URL('../../dist/parallel/fit-worker.js', import.meta.url);
const AS_OF = '2026-03-02';

/** Seeded Poisson series of different shapes: steady, weekly, sparse, young. */
function seriesSet(count: number, days = 400): DailySeries[] {
  const random = createRng(11);
  return Array.from({ length: count }, (_, i) => {
    const length = i % 4 === 3 ? 40 : days;
    const rate = (t: number) => (i % 4 === 2 ? 0.2 : 3 + i) * (t % 7 < 5 ? 1.3 : 0.4);
    return { key: `s${i}`, start: addDays(AS_OF, -length), values: Array.from({ length }, (_, t) => samplePoissonByInversion(random, rate(t))) };
  });
}

let pool: FitPool | undefined;
afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

describe('the fit pool', () => {
  it('forecasts exactly what each embedded model forecasts in-process, several fits side by side', async () => {
    pool = openFitPool(2, BUILT_WORKER);
    const series = seriesSet(8);
    const request = { asOf: AS_OF, horizon: 30, series };
    const pooled = await Promise.all(EMBEDDED_MODELS.map((model) => pool!.forecaster(createForecaster(model)).forecast(request)));
    for (const [i, model] of EMBEDDED_MODELS.entries()) {
      expect(pooled[i], model).toEqual(await createForecaster(model).forecast(request));
    }
  });

  it('splits a large request of a model whose series are independent across the threads, same forecast in the same order', async () => {
    pool = openFitPool(2, BUILT_WORKER);
    const request = { asOf: AS_OF, horizon: 14, series: seriesSet(70, 120) };
    for (const model of [SEASONAL_NAIVE, V1_AUTO_ARIMA]) {
      const forecaster = createForecaster(model);
      expect(forecaster.independentSeries, model).toBe(true);
      const seen: number[] = [];
      const pooled = await pool.forecaster(forecaster).forecast({ ...request, onProgress: (done, total) => seen.push(total === 70 ? done : -1) });
      expect(pooled, model).toEqual(await forecaster.forecast(request));
      expect(seen.at(-1)).toBe(70);
    }
  });

  it('passes progress on, ending with every series done', async () => {
    pool = openFitPool(1, BUILT_WORKER);
    const seen: [number, number][] = [];
    await pool.forecaster(createForecaster(MSTL_ETS)).forecast({ asOf: AS_OF, horizon: 7, series: seriesSet(5), onProgress: (done, total) => seen.push([done, total]) });
    expect(seen.at(-1)).toEqual([5, 5]);
  });

  it('fails a fit the way the model fails it, and goes on with the next', async () => {
    pool = openFitPool(1, BUILT_WORKER);
    const forecaster = pool.forecaster(createForecaster(MSTL_ETS));
    const bad = { key: 'late', start: AS_OF, values: [1, 2, 3] };
    await expect(forecaster.forecast({ asOf: AS_OF, horizon: 7, series: [bad] })).rejects.toThrow(/it must end exactly then/);
    await expect(forecaster.forecast({ asOf: AS_OF, horizon: 7, series: seriesSet(1) })).resolves.toHaveLength(1);
  });

  it('aborts a running fit between series when its signal is aborted, and never starts an aborted one', async () => {
    pool = openFitPool(1, BUILT_WORKER);
    const forecaster = pool.forecaster(createForecaster(MSTL_ETS));
    const controller = new AbortController();
    const running = forecaster.forecast({
      asOf: AS_OF,
      horizon: 30,
      series: seriesSet(400),
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    const queued = forecaster.forecast({ asOf: AS_OF, horizon: 30, series: seriesSet(2), signal: controller.signal });
    const [first, second] = await Promise.allSettled([running, queued]);
    expect(first).toMatchObject({ status: 'rejected', reason: { name: 'AbortError', message: expect.stringMatching(/aborted after \d+ of 400 series/) } });
    expect(second).toMatchObject({ status: 'rejected', reason: { name: 'AbortError' } });
  });

  it('fails the fits it still holds when closed, and takes no more', async () => {
    pool = openFitPool(1, BUILT_WORKER);
    const forecaster = pool.forecaster(createForecaster(MSTL_ETS));
    const fits = Promise.allSettled([forecaster.forecast({ asOf: AS_OF, horizon: 30, series: seriesSet(200) }), forecaster.forecast({ asOf: AS_OF, horizon: 30, series: seriesSet(2) })]);
    await pool.close();
    for (const fit of await fits) expect(fit).toMatchObject({ status: 'rejected', reason: { message: 'the model-fitting threads were closed' } });
    await expect(forecaster.forecast({ asOf: AS_OF, horizon: 7, series: seriesSet(1) })).rejects.toThrow(/closed/);
  });
});
