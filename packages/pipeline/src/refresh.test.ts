import { addDays, ConfigError, FUNNEL_COHORT, MSTL_ETS, parseConfig, runWarnings, SEASONAL_NAIVE, V3_RIDGE, type Forecaster } from '@funnelcast/core';
import { createForecaster } from '@funnelcast/models';
import { createDuckDbWarehouse, type DuckDbWarehouse } from '@funnelcast/warehouse-duckdb';
import { afterEach, describe, expect, it } from 'vitest';
import { refresh, runIdFor } from './refresh.js';
import { SELECTION, selectionOriginDates } from './selection/forecast-stages.js';
import { loggedHistoryReads } from './testing/logged-history-reads.js';
import { simulateLeads, type SimulatedFunnel } from './testing/simulated-leads.js';

const AS_OF = '2026-06-01';
const START = addDays(AS_OF, -300);
const config = parseConfig({ superSegments: ['Outbound'], horizon: 28 });
const FUNNEL: SimulatedFunnel = {
  start: START,
  end: AS_OF,
  seed: 7,
  superSegment: 'Outbound',
  channel: 'Web',
  source: 'organic',
  mqlsPerDay: () => 10,
  conversion: () => 0.3,
  lag: [5, 15],
};

let warehouse: DuckDbWarehouse | undefined;
afterEach(async () => {
  await warehouse?.close();
  warehouse = undefined;
});

async function warehouseWith(funnel: SimulatedFunnel): Promise<DuckDbWarehouse> {
  warehouse = await createDuckDbWarehouse({ path: ':memory:', superSegments: ['Outbound'], now: () => new Date('2026-06-01T06:00:00Z') });
  await warehouse.insertLeads(simulateLeads(funnel));
  return warehouse;
}

const options = (w: DuckDbWarehouse) => ({ asOf: AS_OF, warehouse: w, now: () => new Date('2026-06-01T06:00:00Z') });

describe('refresh chooses each stage by its own history', () => {
  it('prefers the funnel-aware SQLs when SQLs follow MQL swings by weeks, and publishes why', async () => {
    // MQLs switch between 4 and 14 a day every four weeks; SQLs follow three to five weeks later. The SQL history
    // alone cannot see a switch coming, the open MQLs can.
    const w = await warehouseWith({ ...FUNNEL, mqlsPerDay: (d) => (Math.floor(d / 28) % 2 === 0 ? 4 : 14), lag: [21, 35] });
    const summary = await refresh(config, options(w));
    expect(summary.models.sqls).toBe(FUNNEL_COHORT);
    const rows = await w.readModelSelection();
    const sqls = rows.filter((r) => r.stage === 'sqls' && r.super_segment === 'Outbound');
    expect(sqls.find((r) => r.chosen)?.candidate).toBe(FUNNEL_COHORT);
    const funnel = sqls.find((r) => r.candidate === FUNNEL_COHORT)!;
    const ridge = sqls.find((r) => r.candidate === V3_RIDGE)!;
    expect(funnel.origins).toBe(SELECTION.origins);
    expect(funnel.wape!).toBeLessThan(ridge.wape! * 0.8);
    expect(rows.every((r) => r.run_id === summary.runId)).toBe(true);
  });

  it('forecasts with the V3.1 ridge, not the funnel, when conversion fell and only the recent SQLs know it', async () => {
    // Conversion dropped from 40% to 8% eighty days ago: the funnel's rate still mixes in the older cohorts, the
    // ridge's lags carry the new level, and its trend the steady growth a same-weekday mean trails.
    const w = await warehouseWith({ ...FUNNEL, mqlsPerDay: (d) => 6 + 0.03 * d, conversion: (d) => (d < 220 ? 0.4 : 0.08) });
    // The two models in question (and the robust one every stage keeps): auto's AutoARIMA reads the SQL history as
    // the ridge does.
    const [ridgeModel, naive, mstl] = [V3_RIDGE, SEASONAL_NAIVE, MSTL_ETS].map((name) => createForecaster(name));
    const summary = await refresh(config, { ...options(w), forecasters: { mqls: [mstl!], sqls: [ridgeModel!], robust: naive!, funnelSqls: true } });
    // The ridge alone or blended with the same-weekday mean, whose errors here partly cancel its own.
    expect(summary.models.sqls).toMatch(new RegExp(`^(${V3_RIDGE}|blend:.*${V3_RIDGE}.*)$`));
    const rows = (await w.readModelSelection()).filter((r) => r.stage === 'sqls');
    const ridge = rows.find((r) => r.candidate === V3_RIDGE)!;
    const funnel = rows.find((r) => r.candidate === FUNNEL_COHORT)!;
    expect(ridge.weight).toBeGreaterThanOrEqual(0.5);
    expect(funnel.weight).toBe(0);
    expect(funnel.wape!).toBeGreaterThan(ridge.wape! * 1.5);
  });
});

describe('refresh guardrails', () => {
  it('replaces a forecast forced to explode by the robust model, and the published run says so', async () => {
    const w = await warehouseWith(FUNNEL);
    const naive = createForecaster(SEASONAL_NAIVE);
    const exploding: Forecaster = {
      name: 'exploding',
      forecast: async (request) => (await naive.forecast(request)).map((s) => ({ ...s, mean: s.mean.map((m) => m * 100 + 50), method: 'exploding' })),
    };
    const summary = await refresh(config, { ...options(w), forecasters: { mqls: [exploding], sqls: [createForecaster(V3_RIDGE)], robust: naive, funnelSqls: false } });
    expect(summary.warnings.some((w) => w.startsWith('guardrail: mqls of Web / organic') && w.includes('by exploding') && w.includes('fell back to seasonal-naive'))).toBe(true);
    const [run] = await w.listRuns();
    expect(run?.status).toBe('published');
    expect(runWarnings(run!).some((w) => w.startsWith('guardrail: mqls of Web / organic'))).toBe(true);
    const forecast = (await w.readPublished()).filter((r) => r.data_type === 'FORECAST');
    const month = forecast.reduce((sum, r) => sum + (r.mqls_forecast ?? 0), 0);
    // Ten a day, not a thousand.
    expect(month).toBeGreaterThan(200);
    expect(month).toBeLessThan(400);
  });

  it('asks a model trained beforehand only at the as-of date: the robust model stands in at the selection origins', async () => {
    const w = await warehouseWith(FUNNEL);
    const naive = createForecaster(SEASONAL_NAIVE);
    const asked: string[] = [];
    // Like a trained ARIMA_PLUS in a refresh: it forecasts only from the end of its training.
    const trained: Forecaster = {
      name: 'trained',
      onlyFromTrainingEnd: true,
      forecast: async (request) => {
        asked.push(request.asOf);
        return naive.forecast(request);
      },
    };
    // The funnel-aware SQL candidate reads MQL forecasts at every selection origin.
    const summary = await refresh(config, { ...options(w), forecasters: { mqls: [trained], sqls: [createForecaster(V3_RIDGE)], robust: naive, funnelSqls: true } });
    expect(summary.published).toBe(true);
    expect(asked).toEqual([AS_OF]);
    expect(summary.selection.sqls.length).toBeGreaterThan(0);
  });
});

const cheap = () => {
  const naive = createForecaster(SEASONAL_NAIVE);
  return { mqls: [naive], sqls: [naive], robust: naive, funnelSqls: false };
};

describe('refresh history reads', () => {
  it('reads every history through one history reader of its own, closed when the refresh ends, failed or not', async () => {
    const w = await warehouseWith(FUNNEL);
    const log: string[] = [];
    const tracked = loggedHistoryReads(w, log);
    const naive = createForecaster(SEASONAL_NAIVE);
    const selecting = { mqls: [naive, createForecaster(MSTL_ETS)], sqls: [naive], robust: naive, funnelSqls: false };
    await refresh(config, { ...options(tracked), forecasters: selecting });
    const origins = Array.from({ length: SELECTION.origins }, (_, i) => `read ${addDays(AS_OF, -(SELECTION.origins - i) * SELECTION.stepDays)}`);
    expect(log).toEqual(['open', `read ${AS_OF}`, ...origins, 'close']);

    log.length = 0;
    const broken: Forecaster = { name: 'broken', forecast: async () => { throw new Error('model exploded'); } };
    await expect(refresh(config, { ...options(tracked), forecasters: { ...selecting, mqls: [broken, naive] } })).rejects.toThrow('model exploded');
    expect(log[0]).toBe('open');
    expect(log.at(-1)).toBe('close');
    expect(log.filter((entry) => entry.startsWith('plain') || entry === 'open' || entry === 'close')).toEqual(['open', 'close']);
  });
  it('fits at each selection origin while the later origins are still being read', async () => {
    const w = await warehouseWith(FUNNEL);
    const log: string[] = [];
    const naive = createForecaster(SEASONAL_NAIVE);
    const logged = (name: string): Forecaster => ({
      name,
      forecast: (request) => {
        log.push(`fit ${request.asOf}`);
        return naive.forecast(request);
      },
    });
    await refresh(config, { ...options(loggedHistoryReads(w, log)), forecasters: { mqls: [logged('a'), logged('b')], sqls: [naive], robust: naive, funnelSqls: false } });
    const first = addDays(AS_OF, -SELECTION.origins * SELECTION.stepDays);
    const last = addDays(AS_OF, -SELECTION.stepDays);
    // The reads stay one at a time, in order; the first origin's fits do not wait for the last origin's read.
    expect(log.filter((entry) => entry.startsWith('read'))).toEqual([`read ${AS_OF}`, ...selectionOriginDates(AS_OF).map((date) => `read ${date}`)]);
    expect(log.indexOf(`fit ${first}`)).toBeGreaterThan(log.indexOf(`read ${first}`));
    expect(log.indexOf(`fit ${first}`)).toBeLessThan(log.indexOf(`read ${last}`));
  });
});

describe('refresh --dry-run on BigQuery', () => {
  it('is refused before anything is opened or sent: its dry run is the cost plan, not a computed forecast', async () => {
    const config = parseConfig({
      defaultTarget: 'bq',
      targets: { bq: { type: 'bigquery', projectId: 'test-project', dataset: 'fc', leads: { table: 'leads' }, apiEndpoint: 'http://funnelcast-nonexistent.invalid' } },
    });
    const failure = await refresh(config, { dryRun: true, asOf: '2025-06-01' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ConfigError);
    expect(String(failure)).toContain('targets.bq: is BigQuery: its dry run is a cost plan of dry-run jobs');
  });
});

describe('refresh runs', () => {
  it('gives every execution its own run id, sortable by as-of date and start', async () => {
    const w = await warehouseWith(FUNNEL);
    const first = await refresh(config, { ...options(w), forecasters: cheap() });
    const second = await refresh(config, { ...options(w), forecasters: cheap() });
    expect(first.runId).toMatch(/^fc_20260601_20260601T060000_[0-9a-f]{6}$/);
    expect(second.runId).not.toBe(first.runId);
    expect((await w.listRuns()).map((r) => [r.run_id, r.status]).sort()).toEqual([[first.runId, 'published'], [second.runId, 'published']].sort());
    expect(second.production).toBe(true);
    expect(new Set((await w.readPublished()).map((r) => r.run_id))).toEqual(new Set([second.runId]));
    expect(runIdFor('2026-06-01', new Date('2026-06-01T06:00:00Z')) < runIdFor('2026-06-01', new Date('2026-06-01T06:00:01Z'))).toBe(true);
  });

  it('keeps an older as-of date for tracking without making it production', async () => {
    const w = await warehouseWith(FUNNEL);
    const june = await refresh(config, { ...options(w), forecasters: cheap() });
    const may = await refresh(config, { ...options(w), asOf: '2026-05-01', forecasters: cheap() });
    expect(june.production).toBe(true);
    expect(may).toMatchObject({ published: true, production: false, productionRun: { runId: june.runId, asOf: AS_OF } });
    expect((await w.listRuns()).find((r) => r.run_id === may.runId)?.status).toBe('published');
    expect(new Set((await w.readPublished()).map((r) => r.run_id))).toEqual(new Set([june.runId]));
  });

  it('stores a run whose heartbeat stopped as abandoned on the next refresh, and leaves a live one running', async () => {
    const leased = parseConfig({ superSegments: ['Outbound'], horizon: 28, runLeaseSeconds: 1 });
    const w = await warehouseWith(FUNNEL);
    let clock = Date.parse('2026-06-01T06:00:00Z');
    const now = () => new Date(clock);
    // A refresh killed before it finished: its record stays running, and nothing renews it.
    await w.startRun({
      run_id: 'fc_killed', as_of: AS_OF, status: 'running', config_hash: 'x', horizon: 28, mql_model: SEASONAL_NAIVE, sql_model: SEASONAL_NAIVE,
      started_at: now().toISOString(), finished_at: null, published_at: null, timings_json: null, row_count: null, mapping_row_count: null,
      error: null, warnings_json: null, owner: 'gone:1', heartbeat_at: now().toISOString(), request_id: null,
    });
    // A live refresh, held inside its forecast until released, heartbeating meanwhile.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const naive = createForecaster(SEASONAL_NAIVE);
    const held: Forecaster = { name: 'held', forecast: async (request) => (await gate, naive.forecast(request)) };
    const live = refresh(leased, { ...options(w), now, owner: 'alive:2', forecasters: { mqls: [held], sqls: [naive], robust: naive, funnelSqls: false } });
    const liveRun = async () => (await w.listRuns()).find((r) => r.owner === 'alive:2');
    await expect.poll(liveRun, { timeout: 10_000 }).toMatchObject({ status: 'running' });
    clock += 10 * 60_000;
    await expect.poll(async () => (await liveRun())?.heartbeat_at, { timeout: 5_000 }).toBe(now().toISOString());

    const next = await refresh(leased, { ...options(w), now, forecasters: cheap() });
    release();
    const finished = await live;
    const runs = await w.listRuns();
    expect(runs.find((r) => r.run_id === 'fc_killed')).toMatchObject({
      status: 'abandoned',
      error: 'lease expired at 2026-06-01T06:00:01.000Z (owner gone:1 stopped heartbeating)',
    });
    expect(runs.find((r) => r.run_id === finished.runId)).toMatchObject({ status: 'published', owner: 'alive:2' });
    expect(runs.find((r) => r.run_id === next.runId)?.status).toBe('published');
  });

  it('fails the run on an error, with its message, and leaves production on the last good run', async () => {
    const w = await warehouseWith(FUNNEL);
    const good = await refresh(config, { ...options(w), forecasters: cheap() });
    const broken: Forecaster = { name: 'broken', forecast: async () => { throw new Error('model exploded'); } };
    await expect(refresh(config, { ...options(w), forecasters: { mqls: [broken], sqls: [broken], robust: broken, funnelSqls: false } })).rejects.toThrow('model exploded');
    const runs = await w.listRuns();
    expect(runs.map((r) => r.status).sort()).toEqual(['failed', 'published']);
    expect(runs.find((r) => r.status === 'failed')).toMatchObject({ error: 'model exploded', published_at: null });
    expect(await w.productionRun()).toMatchObject({ runId: good.runId });
    expect(new Set((await w.readPublished()).map((r) => r.run_id))).toEqual(new Set([good.runId]));
  });

  it('never demotes the published run of a newer as-of date, nor replaces it with a failed or dry run', async () => {
    const w = await warehouseWith(FUNNEL);
    const june = await refresh(config, { ...options(w), forecasters: cheap() });
    const dry = await refresh(config, { ...options(w), dryRun: true, forecasters: cheap() });
    const april = await refresh(config, { ...options(w), asOf: '2026-04-01', forecasters: cheap() });
    expect(dry).toMatchObject({ published: false, production: false, productionRun: { runId: june.runId } });
    expect(april).toMatchObject({ published: true, production: false, productionRun: { runId: june.runId } });
    expect(await w.productionRun()).toMatchObject({ runId: june.runId, asOf: AS_OF });
  });

  it('a dry run computes and validates everything but records no run and publishes nothing', async () => {
    const w = await warehouseWith(FUNNEL);
    const summary = await refresh(config, { ...options(w), dryRun: true, forecasters: cheap() });
    expect(summary).toMatchObject({ published: false, production: false, productionRun: null, asOf: AS_OF, horizon: 28 });
    expect(summary.rows).toBeGreaterThan(0);
    expect(summary.landings.map((l) => `${l.period} ${l.stage}`)).toEqual(['month mqls', 'month sqls', 'month sqos', 'quarter mqls', 'quarter sqls', 'quarter sqos']);
    expect(await w.listRuns()).toEqual([]);
    expect(await w.readPublished()).toEqual([]);
  });

  it('publishes one run, once, for concurrent executions of one request', async () => {
    const w = await warehouseWith(FUNNEL);
    const [a, b] = await Promise.all([1, 2].map(() => refresh(config, { ...options(w), requestId: 'job-1', forecasters: cheap() })));
    expect(a!.runId).toBe(b!.runId);
    expect([a!.alreadyPublished, b!.alreadyPublished].sort()).toEqual([false, true]);
    const runs = await w.listRuns();
    expect(runs.filter((r) => r.status === 'published').map((r) => r.run_id)).toEqual([a!.runId]);
    expect(runs.map((r) => r.status).sort()).toEqual(['abandoned', 'published']);

    // A later execution of the request (a retried job) returns the published run without computing anything.
    const refuse: Forecaster = { name: 'refuse', forecast: async () => { throw new Error('recomputed'); } };
    const again = await refresh(config, { ...options(w), requestId: 'job-1', forecasters: { mqls: [refuse], sqls: [refuse], robust: refuse, funnelSqls: false } });
    expect(again).toMatchObject({ runId: a!.runId, published: true, alreadyPublished: true, production: true });
    expect(await w.listRuns()).toHaveLength(2);
  });
});

describe('refresh keeps storage bounded and actuals current', () => {
  it('deletes runs past the target\'s retention before publishing, sparing production after refreshes stopped for longer', async () => {
    const kept = parseConfig({ superSegments: ['Outbound'], horizon: 28, targets: { local: { type: 'duckdb', path: ':memory:', retentionDays: 30 } } });
    const w = await warehouseWith(FUNNEL);
    // Past dates replayed a year later: retention counts back from each refresh's as-of date, not from the clock.
    const at = (day: string) => ({ ...options(w), asOf: day, now: () => new Date(`${addDays(day, 365)}T06:00:00Z`), forecasters: cheap() });
    const runIds = async () => (await w.listRuns()).map((r) => r.run_id).sort();
    const march = await refresh(kept, at('2026-03-01'));
    const april = await refresh(kept, at('2026-04-01'));
    // March's run was past the retention but still production when April's refresh pruned, just before publishing.
    expect(await runIds()).toEqual([march.runId, april.runId].sort());
    // Refreshes stopped for two months: March goes, April is past the retention but production, so it is kept.
    const june = await refresh(kept, at('2026-06-01'));
    expect(await runIds()).toEqual([april.runId, june.runId].sort());
    expect(await w.readRun(march.runId)).toBeNull();
    // A backfill within the retention of the next refresh stays; April, no longer production, goes.
    const backfill = await refresh(kept, at('2026-05-20'));
    const next = await refresh(kept, at('2026-06-02'));
    expect(await runIds()).toEqual([backfill.runId, june.runId, next.runId].sort());
  });

  it('recounts the actuals of its window, which vw_forecast_vs_actual shows beside each past run', async () => {
    const w = await warehouseWith(FUNNEL);
    const march = await refresh(config, { ...options(w), asOf: '2026-03-01', forecasters: cheap() });
    expect(await w.readForecastVsActual()).toEqual([]);
    await refresh(config, { ...options(w), asOf: '2026-04-01', forecasters: cheap() });
    const leads = simulateLeads(FUNNEL);
    const seen = (await w.readForecastVsActual()).filter((r) => r.run_id === march.runId);
    expect(seen.map((r) => r.date_day)).toEqual(Array.from({ length: 28 }, (_, i) => addDays('2026-03-01', i)));
    expect(seen.map((r) => [r.mqls_actual, r.sqls_actual])).toEqual(
      seen.map((r) => [leads.filter((l) => l.mql_date === r.date_day).length, leads.filter((l) => l.sql_date === r.date_day).length]),
    );
  });
});
