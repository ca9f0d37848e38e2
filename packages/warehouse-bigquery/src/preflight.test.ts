import { describe, expect, it } from 'vitest';
import { preflight } from './preflight.js';
import { closedAfterEach } from './testing/closed-after-each.js';
import { startFakeBigQuery, type FakeBigQuery, type FakeBigQueryOptions } from './testing/fake-bigquery.js';
import { authorizedUserKey, fakeTarget, fixedTokenClient, LEADS_DDL } from './testing/open-fake-warehouse.js';
import type { BigQueryTarget } from './leads-source.js';

const startFake = closedAfterEach(startFakeBigQuery, (started) => started);
// The server of the test running, for checks after `check` returns.
let fake: FakeBigQuery | undefined;

async function check(options: FakeBigQueryOptions = {}, target: Partial<BigQueryTarget> = {}, setup = `CREATE SCHEMA IF NOT EXISTS "fc";\n${LEADS_DDL}`) {
  fake = await startFake(options);
  await fake.exec(setup);
  const checks = await preflight(fakeTarget(fake, target), { authClient: fixedTokenClient(), models: ['sqls'], targetName: 'warehouse' });
  return Object.fromEntries(checks.map((c) => [c.check, c]));
}

describe('BigQuery preflight (funnelcast doctor)', () => {
  it('passes every check on a ready target, and writes nothing', async () => {
    const checks = await check({ models: { 'test-project.fc.model_tof_sql_regressor_v3_1_final': { kind: 'regressor', labels: [], idColumns: [] } } });
    expect(Object.keys(checks)).toEqual(['credentials', 'dataset', 'jobs', 'permissions', 'leads', 'models']);
    for (const c of Object.values(checks)) expect(c, c.check).toMatchObject({ ok: true, message: expect.stringMatching(/^ok: /) });
    expect(checks.dataset!.message).toBe('ok: test-project:fc exists in EU');
    // One read, of the trained versions; everything else is a dry run.
    expect(fake!.jobs.filter((j) => !j.dryRun).map((j) => j.sql)).toEqual([expect.stringMatching(/^SELECT model_name, version, data_end FROM `test-project\.fc\.model_evaluations`/)]);
  });

  it('says what to do for a dataset elsewhere, missing grants, leads off the contract and a model not trained', async () => {
    const checks = await check(
      { datasetLocation: 'US', permissions: ['bigquery.tables.get'] },
      {},
      `CREATE SCHEMA IF NOT EXISTS "fc";
       CREATE TABLE "fc"."leads" (lead_id VARCHAR, channel_grouping_name VARCHAR, original_source VARCHAR, super_segment VARCHAR, mql_date VARCHAR, sql_date DATE);
       CREATE TABLE "fc"."forecast_runs" (run_id VARCHAR)`,
    );
    expect(checks.dataset).toEqual({ check: 'dataset', ok: false, message: 'test-project:fc is in US, but the target says location: EU; set location: US in the target (jobs run where the dataset is)' });
    expect(checks.permissions!.message).toBe(
      'missing bigquery.tables.getData, bigquery.tables.updateData, bigquery.tables.update on test-project:fc.forecast_runs: grant roles/bigquery.dataEditor on the dataset test-project:fc',
    );
    expect(checks.leads!.message).toBe('test-project:fc.leads does not match the leads contract: mql_date is STRING, must be DATE; missing column sqo_date (DATE)');
    expect(checks.models).toEqual({
      check: 'models',
      ok: false,
      message: 'the sqls model is missing from test-project:fc: train it with `funnelcast train --target warehouse`',
    });
    expect(checks.jobs!.ok).toBe(true);
  });

  it('names the missing dataset and how to create it', async () => {
    const checks = await check({}, { dataset: 'nowhere' });
    expect(checks.dataset!.message).toBe('test-project:nowhere does not exist: create it with `bq mk --dataset --location=EU test-project:nowhere`');
  });

  it('stops at credentials it cannot get a token with, naming the fix', async () => {
    fake = await startFake();
    fake.refuseTokens();
    const { writeFile, mkdtemp } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const keyFilename = join(await mkdtemp(join(tmpdir(), 'fc-key-')), 'key.json');
    await writeFile(keyFilename, JSON.stringify(authorizedUserKey(fake.tokenUrl)));
    const checks = await preflight(fakeTarget(fake, { keyFilename }));
    expect(checks).toEqual([
      { check: 'credentials', ok: false, message: `Google refused the credentials (invalid_grant: Token has been expired or revoked.): replace the key file ${keyFilename} (keyFilename in the target) with a valid service-account key.` },
      { check: 'dataset', ok: false, message: 'not checked: needs credentials' },
    ]);
  });
});
