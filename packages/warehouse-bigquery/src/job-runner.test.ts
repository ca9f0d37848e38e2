import { EnvironmentError } from '@funnelcast/core';
import { HISTORY_REQUEST, runRecord } from '@funnelcast/warehouse-conformance';
import { describe, expect, it } from 'vitest';
import { describeStatement, type DryRunLedger } from './job-runner.js';
import { closedAfterEach } from './testing/closed-after-each.js';
import { openFakeWarehouse } from './testing/open-fake-warehouse.js';

const open = closedAfterEach(openFakeWarehouse, (opened) => opened.fake);

describe('BigQuery job timeouts and cancellation', () => {
  it('sends the target timeout as every job\'s jobTimeoutMs', async () => {
    const { fake, warehouse } = await open({ target: { jobTimeoutMs: 90_000 } });
    await warehouse.ensureSchema();
    await warehouse.readHistory(HISTORY_REQUEST);
    expect(fake.jobs.length).toBeGreaterThan(5);
    expect(new Set(fake.jobs.map((j) => j.jobTimeoutMs))).toEqual(new Set(['90000']));
  });

  it('cancels a job still running at its timeout and fails with an EnvironmentError naming jobTimeoutMs', async () => {
    const { fake, warehouse } = await open({ target: { jobTimeoutMs: 1000 } });
    fake.hangMatching(/./);
    const started = Date.now();
    const failure = await warehouse.productionRun().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(EnvironmentError);
    expect(String(failure)).toMatch(/ran longer than its timeout of 1000 ms and was cancelled: raise jobTimeoutMs/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(fake.jobs).toHaveLength(1);
    expect(fake.cancelled).toEqual([fake.jobs[0]!.jobId]);
  });

  it('cancels the job in flight when the signal aborts, and sends nothing after', async () => {
    const controller = new AbortController();
    const { fake, warehouse } = await open({ options: { signal: controller.signal } });
    await warehouse.ensureSchema();
    fake.hangMatching(/FROM `test-project\.fc\.leads`/);
    const before = fake.jobs.length;
    const reading = warehouse.readHistory(HISTORY_REQUEST).catch((error: unknown) => error);
    await waitFor(() => fake.jobs.length > before);
    controller.abort(new Error('worker shutting down'));
    const failure = await reading;
    expect(String(failure)).toContain('worker shutting down');
    // Every history query was in flight (they run side by side): each is cancelled.
    const inFlight = () => fake.jobs.slice(before).map((j) => j.jobId);
    await waitFor(() => fake.cancelled.length === inFlight().length);
    expect(new Set(fake.cancelled)).toEqual(new Set(inFlight()));
    const sentByThen = fake.jobs.length;
    await expect(warehouse.productionRun()).rejects.toThrow('worker shutting down');
    expect(fake.jobs).toHaveLength(sentByThen);
  });
});

describe('BigQuery dry-run mode', () => {
  it('sends every statement as a dry-run job, records its bytes and writes nothing', async () => {
    const ledger: DryRunLedger = { step: 'schema', costs: [] };
    const { fake, warehouse } = await open({ fake: { dryRunBytes: 2048 }, options: { dryRun: ledger } });
    await warehouse.ensureSchema();
    ledger.step = 'history';
    await warehouse.readHistory(HISTORY_REQUEST);
    ledger.step = 'publish';
    await warehouse.startRun(runRecord('run-1', '2024-03-01', '2024-03-01T06:00:00.000Z'));

    expect(fake.jobs.length).toBeGreaterThan(10);
    expect(fake.jobs.every((j) => j.dryRun)).toBe(true);
    expect(await fake.exec(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'fc' AND table_name <> 'leads'`)).toEqual([]);
    expect(ledger.costs).toHaveLength(fake.jobs.length);
    expect(ledger.costs.every((c) => c.bytes === 2048 && c.error === null)).toBe(true);
    expect(ledger.costs[0]).toMatchObject({ step: 'schema', statement: 'CREATE TABLE IF NOT EXISTS forecast_runs' });
    expect(ledger.costs.filter((c) => c.step === 'history').every((c) => c.statement === 'SELECT leads')).toBe(true);
    expect(ledger.costs.at(-1)).toMatchObject({ step: 'publish', statement: 'SCRIPT forecast_runs' });
  });

  it('records a statement BigQuery refuses to price with the reason, instead of failing the plan', async () => {
    const ledger: DryRunLedger = { step: 'models', costs: [] };
    const { fake, warehouse } = await open({ options: { dryRun: ledger } });
    // Nothing trained: the registry lookup finds no version, so the reads name the base models. The V3.1 seed model
    // exists on the test server; the ARIMA_PLUS one does not, and BigQuery (the server) refuses to price its read.
    await warehouse.sendModelRead('arima-plus', '2025-06-01', 30);
    await warehouse.sendModelRead('v3.1-bqml', '2025-06-01', 30);
    expect(ledger.costs).toEqual([
      { step: 'models', statement: 'SELECT model_evaluations', bytes: 1_048_576, error: null },
      { step: 'models', statement: 'SELECT model_mql_arima_plus', bytes: null, error: expect.stringContaining('model_mql_arima_plus') },
      { step: 'models', statement: 'SELECT model_evaluations', bytes: 1_048_576, error: null },
      { step: 'models', statement: expect.stringContaining('model_tof_sql_regressor_v3_1_final'), bytes: 1_048_576, error: null },
    ]);
    expect(fake.jobs.every((j) => j.dryRun)).toBe(true);
  });

  it('describes statements by kind and the relations they name', () => {
    expect(describeStatement('CREATE OR REPLACE VIEW `p.d.vw_x` AS SELECT * FROM `p.d.rows`')).toBe('CREATE OR REPLACE VIEW vw_x, rows');
    expect(describeStatement('BEGIN TRANSACTION;\nDELETE FROM `p.d.a` WHERE TRUE;\nCOMMIT TRANSACTION;')).toBe('SCRIPT a');
    expect(describeStatement('WITH leads AS (SELECT * FROM `p.d.leads`) SELECT 1')).toBe('SELECT leads');
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}
