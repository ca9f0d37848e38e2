import { ConfigError, InputError, TransientError, type ProductionRow } from '@funnelcast/core';
import { HISTORY_REQUEST, mappingRows, productionRows, runRecord, selectionRows } from '@funnelcast/warehouse-conformance';
import { describe, expect, it } from 'vitest';
import { ROWS_PER_STATEMENT } from './publish.js';
import { closedAfterEach } from './testing/closed-after-each.js';
import { openFakeWarehouse, TEST_TOKEN } from './testing/open-fake-warehouse.js';
import { parseBigQuery, scriptStatements } from './testing/parse-bigquery.js';

const open = closedAfterEach(openFakeWarehouse, (opened) => opened.fake);

const SQL_ROWS = /INSERT INTO `test-project\.fc\.forecast_rows_staging`/;

describe('BigQuery warehouse on a local endpoint', () => {
  it('sends valid SQL with labels, byte cap, location and the bearer token on every job', async () => {
    const { fake, warehouse } = await open();
    await warehouse.ensureSchema();
    const record = runRecord('run-1', '2024-03-01', '2024-03-01T06:00:00.000Z');
    await warehouse.startRun(record);
    await warehouse.heartbeatRun('run-1', '2024-03-01T06:00:30.000Z');
    await warehouse.publishRun(record, { rows: productionRows('run-1', '2024-03-01'), mapping: mappingRows('run-1', '2024-03-01'), selection: selectionRows('run-1') });
    await warehouse.startRun(runRecord('run-2', '2024-03-02', '2024-03-02T06:00:00.000Z'));
    expect(await warehouse.abandonExpiredRuns(new Date('2024-03-02T07:00:00.000Z'), 60_000)).toEqual(['run-2']);
    await warehouse.failRun('run-2', 'boom', '2024-03-02T06:00:00.000Z');
    await warehouse.findPublishedRun('job-1');
    await warehouse.productionRun();
    await warehouse.readHistory(HISTORY_REQUEST);
    await warehouse.describeData();
    await warehouse.readPublished({ channel: 'Web', from: '2024-03-01', to: '2024-03-02' });
    await warehouse.readMapping({ superSegment: 'Outbound' });
    await warehouse.readModelSelection();
    await warehouse.listRuns(5);

    expect(fake.jobs.length).toBeGreaterThan(20);
    for (const job of fake.jobs) {
      expect(job.labels).toEqual({ app: 'funnelcast', team: 'revops' });
      expect(job.maximumBytesBilled).toBe('5000000000');
      expect(job.location).toBe('EU');
      expect(job.authorization).toBe(`Bearer ${TEST_TOKEN}`);
      for (const statement of scriptStatements(job.sql)) expect(() => parseBigQuery(statement), statement).not.toThrow();
    }
    // Values travel as parameters, never in the SQL text.
    expect(fake.jobs.some((j) => j.sql.includes('2024-03-01'))).toBe(false);
  });

  it('publishes in one transaction after staging the rows in chunks', async () => {
    const { fake, warehouse } = await open();
    await warehouse.ensureSchema();
    const record = runRecord('run-1', '2024-03-01', '2024-03-01T06:00:00.000Z');
    const rows = productionRows('run-1', '2024-03-01', 300);
    expect(rows.length).toBeGreaterThan(ROWS_PER_STATEMENT);
    await warehouse.startRun(record);
    const before = fake.jobs.length;
    await warehouse.publishRun(record, { rows, mapping: mappingRows('run-1', '2024-03-01'), selection: selectionRows('run-1') });
    const publishJobs = fake.jobs.slice(before);
    expect(publishJobs.filter((j) => SQL_ROWS.test(j.sql))).toHaveLength(Math.ceil(rows.length / ROWS_PER_STATEMENT));
    const transaction = publishJobs.find((j) => j.sql.startsWith('BEGIN TRANSACTION'))?.sql ?? '';
    // The transaction is the last write: only the read of the published run comes after it.
    expect(publishJobs.at(-1)?.sql).toMatch(/^SELECT run_id FROM/);
    expect(transaction).toMatch(/^BEGIN TRANSACTION;\n/);
    expect(transaction).toMatch(/\nCOMMIT TRANSACTION;$/);
    for (const table of ['forecast_rows', 'mapping_rows', 'model_selection']) {
      expect(transaction).toContain(`INSERT INTO \`test-project.fc.${table}\``);
      expect(transaction).toContain(`DELETE FROM \`test-project.fc.${table}_staging\` WHERE STARTS_WITH(publish_id, @publish_prefix)`);
    }
    expect(await warehouse.readModelSelection()).toEqual(selectionRows('run-1'));
    expect(await warehouse.readPublished()).toHaveLength(rows.length);
    expect(await fake.exec('SELECT count(*) AS n FROM "fc"."forecast_rows_staging"')).toEqual([{ n: 0n }]);
  });

  it('rolls a publish back when it fails inside the transaction, and a retry then succeeds', async () => {
    const { fake, warehouse } = await open();
    await warehouse.ensureSchema();
    const first = runRecord('run-1', '2024-03-01', '2024-03-01T06:00:00.000Z');
    await warehouse.startRun(first);
    const firstRows = productionRows('run-1', '2024-03-01');
    await warehouse.publishRun(first, { rows: firstRows, mapping: mappingRows('run-1', '2024-03-01'), selection: [] });
    const shown = await warehouse.readPublished();

    const second = runRecord('run-2', '2024-03-02', '2024-03-02T06:00:00.000Z');
    await warehouse.startRun(second);
    fake.failStatement(/^INSERT INTO "fc"\."forecast_runs"/);
    await expect(warehouse.publishRun(second, { rows: productionRows('run-2', '2024-03-02'), mapping: mappingRows('run-2', '2024-03-02'), selection: [] })).rejects.toBeInstanceOf(TransientError);
    expect(await warehouse.readPublished()).toEqual(shown);
    expect(await fake.exec(`SELECT count(*) AS n FROM "fc"."forecast_rows" WHERE run_id = 'run-2'`)).toEqual([{ n: 0n }]);

    fake.failStatement(null);
    const rows = productionRows('run-2', '2024-03-02');
    await warehouse.publishRun(second, { rows, mapping: mappingRows('run-2', '2024-03-02'), selection: [] });
    expect((await warehouse.readPublished()).map((r) => r.run_id)).toEqual(rows.map(() => 'run-2'));
    // The failed attempt's staged rows were cleared by the next publish of the run, not left behind.
    expect(await fake.exec('SELECT count(*) AS n FROM "fc"."forecast_rows_staging"')).toEqual([{ n: 0n }]);
  });

  it('retention also clears what a crashed publish staged, in one transaction after one read', async () => {
    const { fake, warehouse } = await open();
    await warehouse.ensureSchema();
    const crashed = runRecord('run-1', '2024-03-01', '2024-03-01T06:00:00.000Z');
    await warehouse.startRun(crashed);
    fake.failStatement(/^INSERT INTO "fc"\."forecast_runs"/);
    await expect(warehouse.publishRun(crashed, { rows: productionRows('run-1', '2024-03-01'), mapping: mappingRows('run-1', '2024-03-01'), selection: selectionRows('run-1') })).rejects.toBeInstanceOf(TransientError);
    fake.failStatement(null);
    // The process died there: the run is never published again, so only retention can clear its staged rows.
    await warehouse.failRun('run-1', 'worker killed', '2024-03-01T06:10:00.000Z');
    const staged = () => Promise.all(['forecast_rows', 'mapping_rows', 'model_selection'].map((t) => fake.exec(`SELECT count(*) AS n FROM "fc"."${t}_staging"`)));
    expect((await staged()).map(([row]) => Number(row?.n))).toEqual([productionRows('run-1', '2024-03-01').length, 3, selectionRows('run-1').length]);

    const before = fake.jobs.length;
    expect(await warehouse.deleteRunsBefore('2024-06-01')).toEqual(['run-1']);
    expect((await staged()).map(([row]) => Number(row?.n))).toEqual([0, 0, 0]);
    expect(fake.jobs.slice(before).map((j) => j.sql.split('\n')[0])).toEqual([expect.stringMatching(/^SELECT run_id/), 'BEGIN TRANSACTION;']);
    // With nothing expired, one small read and no transaction.
    expect(await warehouse.deleteRunsBefore('2024-06-01')).toEqual([]);
    expect(fake.jobs.length).toBe(before + 3);
  });

  it('repeats no work when a retried job had already succeeded (lost responses)', async () => {
    const { fake, warehouse } = await open();
    await warehouse.ensureSchema();
    const record = runRecord('run-1', '2024-03-01', '2024-03-01T06:00:00.000Z');
    await warehouse.startRun(record);
    const rows = productionRows('run-1', '2024-03-01', 300);
    // The first staging chunk and then the transaction each run, but their responses are lost once.
    fake.failMatching(SQL_ROWS, { status: 503, reason: 'backendError', afterRun: true }, 1);
    await warehouse.publishRun(record, { rows, mapping: mappingRows('run-1', '2024-03-01'), selection: [] });
    const keys = (published: readonly ProductionRow[]) => new Set(published.map((r) => `${r.date_day} ${r.Channel_Grouping_Name} ${r.Original_source}`));
    expect(await warehouse.readPublished()).toHaveLength(rows.length);
    expect(keys(await warehouse.readPublished()).size).toBe(rows.length);

    const publishTransaction = /STARTS_WITH\(publish_id, @publish_prefix\)/;
    fake.failMatching(publishTransaction, { status: 503, reason: 'backendError', afterRun: true }, 1);
    await warehouse.startRun(record);
    await warehouse.publishRun(record, { rows, mapping: mappingRows('run-1', '2024-03-01'), selection: [] });
    expect(fake.jobs.filter((j) => publishTransaction.test(j.sql))).toHaveLength(3);
    expect(await warehouse.readPublished()).toHaveLength(rows.length);
    expect(keys(await warehouse.readPublished()).size).toBe(rows.length);
  });

  it('retries transient errors with backoff, then succeeds', async () => {
    const { fake, warehouse, sleeps } = await open();
    await warehouse.ensureSchema();
    fake.failNext({ status: 503, reason: 'backendError' });
    fake.failNext({ status: 403, reason: 'rateLimitExceeded' });
    expect(await warehouse.listRuns()).toEqual([]);
    // random() = 0.5 → half of 500 ms, then half of 1000 ms.
    expect(sleeps).toEqual([250, 500]);
  });

  it('gives up after the last attempt with a TransientError', async () => {
    const { fake, warehouse, sleeps } = await open();
    fake.failMatching(/SELECT/, { status: 500, reason: 'internalError' });
    const attempt = warehouse.listRuns();
    await expect(attempt).rejects.toBeInstanceOf(TransientError);
    await expect(attempt).rejects.toThrow(/internalError|injected/);
    expect(sleeps).toHaveLength(3);
    expect(fake.jobs).toHaveLength(4);
  });

  it('does not retry a query BigQuery rejects', async () => {
    const { fake, warehouse, sleeps } = await open({ target: { leads: { query: 'SELEC lead_id FROM broken' } } });
    const error = await warehouse.readHistory(HISTORY_REQUEST).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).problems[0]?.where).toMatch(/invalidQuery/);
    expect(sleeps).toEqual([]);
    // Each query was sent once: none was retried.
    expect(new Set(fake.jobs.map((j) => j.sql)).size).toBe(fake.jobs.length);
  });

  it('names a missing table or dataset as a configuration problem, without retrying', async () => {
    const { fake, warehouse, sleeps } = await open({ target: { leads: { table: 'no_such_table' } } });
    const error = await warehouse.describeData().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(String(error)).toMatch(/notFound/);

    fake.failNext({ status: 404, reason: 'notFound', message: 'Not found: Dataset test-project:fc' });
    await expect(warehouse.listRuns()).rejects.toThrow(/Not found: Dataset test-project:fc/);
    expect(sleeps).toEqual([]);
  });

  it('estimates bytes with a dry run that runs nothing', async () => {
    const { fake, warehouse } = await open({ fake: { dryRunBytes: 987_654 } });
    await warehouse.ensureSchema();
    const before = await fake.exec('SELECT count(*) AS n FROM "fc"."forecast_runs"');
    expect(await warehouse.estimateBytes('DELETE FROM `test-project.fc.forecast_runs` WHERE TRUE')).toBe(987_654);
    const job = fake.jobs.at(-1);
    expect(job?.dryRun).toBe(true);
    expect(job?.labels).toEqual({ app: 'funnelcast', team: 'revops' });
    expect(await fake.exec('SELECT count(*) AS n FROM "fc"."forecast_runs"')).toEqual(before);

    // A refresh's history read is priced by dry runs of its seven queries, with the same parameters.
    const jobsBefore = fake.jobs.length;
    expect(await warehouse.estimateHistoryBytes(HISTORY_REQUEST)).toBe(7 * 987_654);
    const dryRuns = fake.jobs.slice(jobsBefore);
    expect(dryRuns.every((j) => j.dryRun && j.params.as_of === HISTORY_REQUEST.asOf)).toBe(true);
  });

  it('reads history from a daily-counts table, without conversion facts', async () => {
    const { fake, warehouse } = await open({ target: { leads: { dailyCountsTable: 'fc.daily_counts' } } });
    await fake.exec(`CREATE TABLE "fc"."daily_counts" (date_day DATE, "Channel_Grouping_Name" VARCHAR, "Original_source" VARCHAR,
      super_segment VARCHAR, mqls_daily BIGINT, sqls_daily BIGINT, sqos_daily BIGINT);
      INSERT INTO "fc"."daily_counts" VALUES
        (DATE '2024-02-27', 'Web', 'organic', 'Inbound_Marketing', 3, 1, 0),
        (DATE '2024-02-28', 'Web', 'organic', 'Inbound_Marketing', 0, 0, 0),
        (DATE '2024-02-29', 'Web', 'organic', 'Inbound_Marketing', 2, 0, 1),
        (DATE '2024-03-01', 'Web', 'organic', 'Inbound_Marketing', 9, 9, 9)`);
    await warehouse.ensureSchema();
    const history = await warehouse.readHistory({ ...HISTORY_REQUEST, asOf: '2024-03-01', since: '2024-02-28' });
    const web = { superSegment: 'Inbound_Marketing', channel: 'Web', source: 'organic' };
    expect(history).toEqual({
      asOf: '2024-03-01',
      daily: [{ date: '2024-02-29', ...web, mqls: 2, sqls: 0, sqos: 1 }],
      spans: [{ ...web, firstDate: '2024-02-27', lastDate: '2024-02-29' }],
      conversion: null,
    });
    expect(await warehouse.describeData()).toEqual({
      leads: 14,
      firstDate: '2024-02-27',
      lastDate: '2024-03-01',
      superSegments: ['Inbound_Marketing'],
      combinations: 1,
    });
  });

  it('refuses leads that break the contract, listing every broken rule', async () => {
    // "Today" comes from the warehouse's clock: a stage date after it is a typo, not a future event.
    const { fake, warehouse } = await open({ options: { now: () => new Date('2024-06-30T23:00:00Z') } });
    await fake.exec(`INSERT INTO "fc"."leads" VALUES
      ('ok', 'Web', 'organic', 'Outbound', DATE '2024-02-01', DATE '2024-02-02', DATE '2024-02-03'),
      ('no-channel', NULL, 'organic', 'Outbound', DATE '2024-02-01', NULL, NULL),
      ('blank-channel', '  ', 'organic', 'Outbound', DATE '2024-02-01', NULL, NULL),
      ('no-mql', 'Web', 'organic', 'Outbound', NULL, NULL, NULL),
      ('sql-first', 'Web', 'organic', 'Outbound', DATE '2024-02-05', DATE '2024-02-01', NULL),
      ('sqo-first', 'Web', 'organic', 'Outbound', DATE '2024-02-01', DATE '2024-02-05', DATE '2024-02-04'),
      ('sqo-only', 'Web', 'organic', 'Outbound', DATE '2024-02-01', NULL, DATE '2024-02-04'),
      ('twice', 'Web', 'organic', 'Outbound', DATE '2024-02-01', NULL, NULL),
      ('twice', 'Web', 'organic', 'Outbound', DATE '2024-02-02', NULL, NULL),
      ('typo', 'Web', 'organic', 'Outbound', DATE '2024-02-01', DATE '2024-07-01', NULL),
      ('later', NULL, 'organic', 'Outbound', DATE '2024-03-05', DATE '2024-03-01', NULL)`);
    const error = await warehouse.readHistory(HISTORY_REQUEST).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).counts).toEqual([
      // Every rule as core's leads contract declares it; a name of blanks is as empty as a missing one.
      { rule: 'channel_grouping_name is required', rows: 2 },
      { rule: 'mql_date is required', rows: 1 },
      { rule: 'sql_date must not be after today', rows: 1 },
      { rule: 'sql_date must not be before mql_date', rows: 1 },
      { rule: 'sqo_date must not be before sql_date', rows: 1 },
      { rule: 'an SQO must have an sql_date', rows: 1 },
      { rule: 'lead_id must be unique', rows: 1 },
    ]);
    expect((error as InputError).problems).toContainEqual({ where: 'leads lead_id "sql-first"', message: 'breaks: sql_date must not be before mql_date' });
    expect((error as InputError).message).toMatch(/^The leads break the leads contract: 8 leads break it \(one example per rule shown\):\n  rows per rule:\n    2  channel_grouping_name is required/);
  });

  it('refuses leads of a super-segment that is not configured', async () => {
    const { fake, warehouse } = await open({ options: { superSegments: ['Outbound', 'Other'] } });
    await fake.exec(`INSERT INTO "fc"."leads" VALUES
      ('a', 'Web', 'organic', 'Outbound', DATE '2024-02-01', NULL, NULL),
      ('b', 'Web', 'organic', 'Inbound_Marketing', DATE '2024-02-01', NULL, NULL)`);
    const error = await warehouse.readHistory(HISTORY_REQUEST).catch((e: unknown) => e);
    expect((error as InputError).counts).toEqual([{ rule: 'super_segment must be a configured super-segment', rows: 1 }]);
    expect((error as InputError).problems).toEqual([
      {
        where: 'superSegments (config)',
        message: expect.stringMatching(/set superSegments in the config file.*:\n {6}superSegments: \[Inbound_Marketing, Outbound\]$/) as string,
      },
      { where: 'leads lead_id "b"', message: 'breaks: super_segment must be a configured super-segment' },
    ]);
    const check = fake.jobs.find((j) => j.sql.includes('UNNEST(@super_segments)'));
    expect(check?.params.super_segments).toEqual(['Outbound', 'Other']);
  });

  it('offers the in-warehouse forecasters by model name only', async () => {
    const { warehouse } = await open();
    expect(warehouse.forecaster('arima-plus')?.name).toBe('arima-plus');
    expect(warehouse.forecaster('v3.1-bqml')?.name).toBe('v3.1-bqml');
    expect(warehouse.forecaster('mstl-ets')).toBeUndefined();
    expect(warehouse.forecaster('toString')).toBeUndefined();
  });
});
