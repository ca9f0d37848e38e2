import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { JSON_OUTPUTS } from '@funnelcast/cli';
import { startFakeBigQuery, type FakeBigQuery } from '../packages/warehouse-bigquery/src/testing/fake-bigquery.js';
import { ADDRESS_VARIABLE, launchGoogleSqlServer, type GoogleSqlServer } from '../packages/warehouse-bigquery/src/testing/googlesql-server.js';
import { authorizedUserKey, LEADS_DDL } from '../packages/warehouse-bigquery/src/testing/open-fake-warehouse.js';
import { cliPath, runCli, tempDir } from './support/cli.js';

/**
 * The built CLI on BigQuery targets, against the local BigQuery test server: the CLI authenticates with a credentials
 * file whose token endpoint is the server's, as it would with any key file.
 */

let googleSql: GoogleSqlServer;
let fake: FakeBigQuery;
let dir: { path: string; cleanup: () => Promise<void> };
let keyFilename: string;

// No Application Default Credentials anywhere, and no probing of a GCE metadata server that is not there.
const NO_ADC = { GOOGLE_APPLICATION_CREDENTIALS: '', CLOUDSDK_CONFIG: '', METADATA_SERVER_DETECTION: 'none' };

beforeAll(async () => {
  // The test server analyses every statement with GoogleSQL, as in the adapter's own tests.
  googleSql = await launchGoogleSqlServer();
  process.env[ADDRESS_VARIABLE] = googleSql.address;
  dir = await tempDir('funnelcast-bq-');
  fake = await startFakeBigQuery();
  await fake.exec(`CREATE SCHEMA IF NOT EXISTS "fc";\n${LEADS_DDL}`);
  keyFilename = join(dir.path, 'key.json');
  await writeFile(keyFilename, JSON.stringify(authorizedUserKey(fake.tokenUrl)));
});
afterAll(async () => {
  await fake.close();
  await googleSql.stop();
  await dir.cleanup();
});
afterEach(() => {
  fake.jobs.length = 0;
});

/** A config file with one BigQuery target `warehouse` (overrides merged into it) and the given top-level keys. */
async function configFile(name: string, target: Record<string, unknown> = {}, top: Record<string, unknown> = {}): Promise<string> {
  const path = join(dir.path, `${name}.json`);
  const warehouse = { type: 'bigquery', projectId: 'test-project', dataset: 'fc', location: 'EU', leads: { table: 'leads' }, apiEndpoint: fake.apiEndpoint, keyFilename, ...target };
  await writeFile(path, JSON.stringify({ targets: { warehouse }, defaultTarget: 'warehouse', ...top }));
  return path;
}

const home = async () => {
  const path = join(dir.path, 'home');
  await mkdir(path, { recursive: true });
  return path;
};

describe('funnelcast on BigQuery', () => {
  it('refresh --dry-run sends only dry-run jobs, writes nothing, and prints bytes and cost per statement and in total', async () => {
    const config = await configFile('dry-run', { pricePerTiB: 5 });
    const result = await runCli(['refresh', '--dry-run', '--json', '--config', config, '--as-of', '2025-06-01', '--horizon', '30']);
    expect(result.code, result.stderr).toBe(0);
    const plan = JSON_OUTPUTS['refresh --dry-run'].parse(JSON.parse(result.stdout));

    expect(fake.jobs.length).toBeGreaterThan(20);
    expect(fake.jobs.filter((j) => !j.dryRun)).toEqual([]);
    expect(plan.statements).toHaveLength(fake.jobs.length);
    const tables = await fake.exec(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'fc'`);
    expect(tables).toEqual([{ table_name: 'leads' }]);

    const steps = new Set(plan.statements.map((s) => s.step));
    expect([...steps]).toEqual(expect.arrayContaining(['schema', 'leases', 'history at 2025-06-01', 'history at 2024-12-15', 'publish']));
    expect(plan.statements.every((s) => s.bytes === 1_048_576 && s.cost_usd === (1_048_576 / 2 ** 40) * 5)).toBe(true);
    expect(plan.total_bytes).toBe(1_048_576 * plan.statements.length);
    expect(plan).toMatchObject({ target: 'warehouse', as_of: '2025-06-01', horizon: 30, price_per_tib: 5, unpriced: 0 });

    const human = await runCli(['refresh', '--dry-run', '--config', config, '--as-of', '2025-06-01']);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain('only dry-run jobs were sent; nothing ran and nothing was written');
    expect(human.stdout).toMatch(new RegExp(`Total: ${plan.statements.length}\\.0 MiB in ${plan.statements.length} statements, about \\$0\\.0000?\\d+ at \\$5/TiB`));
  });

  it('backtest --dry-run plans the origins asked for with dry-run jobs only; on DuckDB it is refused (exit 2)', async () => {
    const config = await configFile('backtest-dry-run');
    const result = await runCli(['backtest', '--dry-run', '--json', '--config', config, '--from', '2025-03', '--to', '2025-04']);
    expect(result.code, result.stderr).toBe(0);
    const plan = JSON_OUTPUTS['backtest --dry-run'].parse(JSON.parse(result.stdout));
    expect(plan).toMatchObject({ origins: ['2025-03-01', '2025-04-01'], period: 'month', unpriced: 0 });
    expect(fake.jobs.filter((j) => !j.dryRun)).toEqual([]);
    expect(plan.statements).toHaveLength(fake.jobs.length);
    const steps = new Set(plan.statements.map((s) => s.step));
    expect([...steps]).toEqual(expect.arrayContaining(['schema', 'history at 2025-03-01', 'actuals of 2025-03-01', 'history at 2025-04-01', 'actuals of 2025-04-01', 'save']));

    const duck = await tempDir();
    try {
      const refused = await runCli(['backtest', '--dry-run'], { cwd: duck.path });
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('a backtest on DuckDB costs nothing, so run it without --dry-run');
    } finally {
      await duck.cleanup();
    }
  });

  it('doctor: one ok line per check and exit 0; a model not trained is exit 3 with what to do', async () => {
    const ready = await runCli(['doctor', '--config', await configFile('doctor')]);
    expect(ready.code, ready.stderr).toBe(0);
    expect(ready.stdout.trim().split('\n').slice(1).map((line) => line.trim().split(/\s+/)[0])).toEqual(['credentials', 'dataset', 'jobs', 'permissions', 'leads']);
    expect(ready.stdout).toContain(`credentials  ok: a token was obtained with the key file ${keyFilename}`);

    const untrained = await runCli(['doctor', '--json', '--config', await configFile('doctor-model', {}, { models: { mqls: 'arima-plus' } })]);
    expect(untrained.code).toBe(3);
    const report = JSON_OUTPUTS.doctor.parse(JSON.parse(untrained.stdout));
    expect(report.ok).toBe(false);
    expect(report.checks.at(-1)).toEqual({ check: 'models', ok: false, message: 'no ARIMA_PLUS model trained for target warehouse: train it with `funnelcast train --target warehouse`' });
    expect(untrained.stderr).toContain('1 of 6 checks failed (models)');
  });

  it.each([
    ['refresh', ['refresh', '--as-of', '2025-06-01'], /FROM `test-project\.fc\.leads`/],
    ['train', ['train', '--stage', 'sqls'], /^CREATE OR REPLACE MODEL/],
  ])('Ctrl-C during %s cancels the BigQuery job in flight and exits 130', async (name, args, hanging) => {
    const config = await configFile(`interrupt-${name}`);
    // Training starts from the leads' last day: it needs some.
    await fake.exec(`INSERT INTO "fc"."leads" VALUES ('L1', 'Outbound', 'sales', 'Outbound', DATE '2025-05-02', DATE '2025-05-09', NULL)`);
    fake.hangMatching(hanging);
    try {
      const child = spawn(process.execPath, [cliPath, ...args, '--config', config], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      const hung = () => fake.jobs.filter((j) => !j.dryRun && hanging.test(j.sql)).map((j) => j.jobId);
      while (hung().length === 0 && child.exitCode === null) await new Promise((resolve) => setTimeout(resolve, 20));
      child.kill('SIGINT');
      expect(await exited, stderr).toBe(130);
      expect(hung().length).toBeGreaterThan(0);
      expect(new Set(fake.cancelled)).toEqual(new Set(hung()));
      expect(stderr).toContain('SIGINT received, stopping (cancelling jobs in flight');
      expect(stderr).toContain('interrupted by SIGINT');
    } finally {
      fake.hangMatching(null);
      fake.cancelled.length = 0;
      await fake.exec(`DELETE FROM "fc"."leads"`);
    }
  });

  it('offline (a name that does not resolve): exit 3 naming the network, proxy and apiEndpoint, no stack trace', async () => {
    const config = await configFile('offline', { apiEndpoint: 'http://funnelcast-nonexistent.invalid' });
    const result = await runCli(['refresh', '--config', config, '--as-of', '2025-06-01']);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/Cannot reach BigQuery: the name funnelcast-nonexistent\.invalid does not resolve \(ENOTFOUND\)|Cannot reach BigQuery at funnelcast-nonexistent\.invalid \(EAI_AGAIN\)/);
    expect(result.stderr).toContain('HTTPS_PROXY');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('missing credentials (no key file, no ADC): exit 3 naming gcloud auth application-default login, no stack trace', async () => {
    const config = await configFile('no-credentials', { keyFilename: undefined });
    const result = await runCli(['refresh', '--config', config, '--as-of', '2025-06-01'], { env: { ...NO_ADC, HOME: await home() } });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('No Google credentials found (Application Default Credentials): run `gcloud auth application-default login`');
    expect(result.stderr).not.toMatch(/\n\s+at /);

    const doctor = await runCli(['doctor', '--config', config], { env: { ...NO_ADC, HOME: await home() } });
    expect(doctor.code).toBe(3);
    expect(doctor.stdout).toMatch(/credentials\s+No Google credentials found/);
  });

  it('GOOGLE_APPLICATION_CREDENTIALS naming no file, a key file that is missing or not a key: exit 3 naming the file', async () => {
    const config = await configFile('bad-env', { keyFilename: undefined });
    const env = { ...NO_ADC, HOME: await home(), GOOGLE_APPLICATION_CREDENTIALS: join(dir.path, 'nowhere.json') };
    const byEnv = await runCli(['refresh', '--config', config, '--as-of', '2025-06-01'], { env });
    expect(byEnv.code, byEnv.stderr).toBe(3);
    expect(byEnv.stderr).toContain(`GOOGLE_APPLICATION_CREDENTIALS (${join(dir.path, 'nowhere.json')}) cannot be read`);

    const missingKey = join(dir.path, 'absent-key.json');
    const byKey = await runCli(['refresh', '--config', await configFile('missing-key', { keyFilename: missingKey }), '--as-of', '2025-06-01']);
    expect(byKey.code, byKey.stderr).toBe(3);
    expect(byKey.stderr).toContain(`Cannot read the key file ${missingKey} (ENOENT): fix keyFilename in the target`);
    expect(byKey.stderr).not.toMatch(/\n\s+at /);

    const notAKey = await configFile('not-a-key');
    const byContent = await runCli(['refresh', '--config', await configFile('wrong-key', { keyFilename: notAKey }), '--as-of', '2025-06-01']);
    expect(byContent.code, byContent.stderr).toBe(3);
    expect(byContent.stderr).toContain(`Cannot read the key file ${notAKey} (not a Google credentials JSON file:`);
  });
});

describe('funnelcast doctor on DuckDB', () => {
  it('names the missing file and the file that is not DuckDB (exit 3), and passes on an imported database (exit 0)', async () => {
    const duck = await tempDir();
    try {
      const missing = await runCli(['doctor'], { cwd: duck.path });
      expect(missing.code).toBe(3);
      expect(missing.stdout).toContain('file  no database at .funnelcast/funnelcast.duckdb: `funnelcast import <leads file>` or `funnelcast demo` creates it');

      await writeFile(join(duck.path, 'notes.duckdb'), 'not a database');
      const notDuck = JSON_OUTPUTS.doctor.parse(JSON.parse((await runCli(['doctor', '--json', '--db', 'notes.duckdb'], { cwd: duck.path })).stdout));
      expect(notDuck.checks.map((c) => [c.check, c.ok])).toEqual([['file', true], ['database', false]]);
      expect(notDuck.checks[1]!.message).toContain('is not a DuckDB database');

      await writeFile(join(duck.path, 'leads.csv'), 'lead_id,channel_grouping_name,original_source,super_segment,mql_date,sql_date,sqo_date\nL1,Outbound,sales,Outbound,2025-05-02,2025-05-09,\n');
      expect((await runCli(['import', 'leads.csv'], { cwd: duck.path })).code).toBe(0);
      const ready = await runCli(['doctor'], { cwd: duck.path });
      expect(ready.code, ready.stdout).toBe(0);
      expect(ready.stdout).toContain('leads     ok: 1 lead from 2025-05-02 to 2025-05-09');
    } finally {
      await duck.cleanup();
    }
  });
});
