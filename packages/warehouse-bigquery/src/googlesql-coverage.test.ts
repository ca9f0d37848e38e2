import { addDays } from '@funnelcast/core';
import { HISTORY_REQUEST, mappingRows, productionRows, runRecord, selectionRows } from '@funnelcast/warehouse-conformance';
import { afterAll, describe, expect, it } from 'vitest';
import { bqmlAnswers } from './testing/bqml-answers.js';
import { trainRequest } from './testing/train-request.js';
import { analysedStatements } from './testing/googlesql-analyser.js';
import { openFakeWarehouse } from './testing/open-fake-warehouse.js';

/**
 * Every kind of statement the adapter generates goes through the test server, which has GoogleSQL analyse it
 * before running it; this file drives all of them on one server and counts what was analysed. (Deliberately refused
 * statements are tested in fake-bigquery.test.ts, so that this process's count of refusals must stay 0.)
 */

const AS_OF = '2024-03-01';
const HORIZON = 3;
const NOW = new Date('2024-03-01T08:00:00Z');
const KEYS = ['Web\u001forganic', 'Paid\u001fgoogle'];

// Each kind the adapter generates, as the statement starts (whitespace normalised).
const KINDS: Readonly<Record<string, RegExp>> = {
  'CREATE TABLE (DDL)': /^CREATE TABLE IF NOT EXISTS /,
  'ALTER TABLE ADD COLUMN (DDL)': /^ALTER TABLE .* ADD COLUMN IF NOT EXISTS /,
  'CREATE VIEW (DDL)': /^CREATE OR REPLACE VIEW /,
  'history aggregation': /^WITH leads AS .* GROUP BY /,
  'lead checks': /^WITH leads AS .*broken AS/,
  'publish transaction': /^BEGIN TRANSACTION/,
  'staged INSERT … UNNEST': /^INSERT INTO .*_staging.* FROM UNNEST\(@rows\)/,
  'row move INSERT … SELECT': /^INSERT INTO `test-project\.fc\.forecast_rows` .* FROM `test-project\.fc\.forecast_rows_staging`/,
  DELETE: /^DELETE FROM /,
  UPDATE: /^UPDATE /,
  'reads of the views': /^SELECT .* FROM `test-project\.fc\.vw_production_forecast`/,
  'reads of the tables': /^SELECT .* FROM `test-project\.fc\.backtest_results`/,
  'CREATE MODEL': /^CREATE OR REPLACE MODEL /,
  'ML.FORECAST': /ML\.FORECAST\(MODEL /,
  'ML.PREDICT': /ML\.PREDICT\(MODEL /,
  'ML.EVALUATE': /ML\.EVALUATE\(MODEL /,
  'ML.ARIMA_EVALUATE': /ML\.ARIMA_EVALUATE\(MODEL /,
  'ALTER MODEL (scratch expiration)': /^ALTER MODEL .* SET OPTIONS/,
};

afterAll(() => {
  const { analysed, parsedOnly, refused } = analysedStatements;
  process.stdout.write(
    `GoogleSQL analysed ${analysed.size} distinct statements, ${refused.size} refused, ${parsedOnly.size} parsed only` +
      ' (CREATE MODEL: the statement and its training query are analysed; its OPTIONS are checked by name and type only)\n',
  );
  expect([...refused]).toEqual([]);
  // The V3.1 script's DECLARE, SET, WHILE and temporary table are analysed too: nothing is left parsed only.
  expect([...parsedOnly]).toEqual([]);
  expect(analysed.size).toBeGreaterThanOrEqual(60);
  const missing = Object.entries(KINDS).filter(([, pattern]) => ![...analysed].some((s) => pattern.test(s)));
  expect(missing.map(([kind]) => kind)).toEqual([]);
});

describe('GoogleSQL analysis of every statement the adapter generates', () => {
  it('accepts the DDL, publish scripts, history, reads and BigQuery ML statements of a whole run', async () => {
    const { fake, warehouse } = await openFakeWarehouse({
      fake: { ml: bqmlAnswers({ trainedDataEnd: () => AS_OF }) },
      options: { now: () => NOW, targetName: 'prod' },
    });
    try {
      await warehouse.ensureSchema();
      await fake.exec(`INSERT INTO "fc"."leads" VALUES ('1', 'Web', 'organic', 'Outbound', DATE '2024-01-10', DATE '2024-01-20', NULL)`);
      await warehouse.trainModels(trainRequest({ settings: { holidayRegion: 'US', arimaHorizon: 30, decomposeTimeSeries: true } }));
      const record = runRecord('run-1', AS_OF, '2024-03-01T06:00:00.000Z', { request_id: 'req-1' });
      await warehouse.startRun(record);
      await warehouse.heartbeatRun('run-1', '2024-03-01T06:00:30.000Z');
      await warehouse.describeData();
      await warehouse.readHistory(HISTORY_REQUEST);
      await warehouse.estimateHistoryBytes(HISTORY_REQUEST);
      const series = KEYS.map((key) => ({ key, start: addDays(AS_OF, -5), values: [1, 2, 3, 4, 5] }));
      await warehouse.forecaster('arima-plus')?.forecast({ asOf: AS_OF, horizon: HORIZON, series });
      await warehouse.forecaster('arima-plus', 'backtest')?.forecast({ asOf: AS_OF, horizon: HORIZON, series });
      await warehouse.forecaster('v3.1-bqml')?.forecast({ asOf: AS_OF, horizon: HORIZON, series: [{ key: 'Outbound', start: addDays(AS_OF, -5), values: [1, 2, 3, 4, 5] }] });
      await warehouse.publishRun(record, { rows: productionRows('run-1', AS_OF), mapping: mappingRows('run-1', AS_OF), selection: selectionRows('run-1') });
      await warehouse.startRun(runRecord('run-2', '2024-03-02', '2024-03-02T06:00:00.000Z'));
      await warehouse.abandonExpiredRuns(new Date('2024-03-02T07:00:00.000Z'), 60_000);
      await warehouse.failRun('run-2', 'boom', '2024-03-02T07:00:00.000Z');
      await warehouse.saveBacktest(
        { backtest_id: 'bt-1', created_at: '2024-03-05T00:00:00.000Z', period: 'month', origins_json: '[]', models_json: '[]', config_hash: 'abc' },
        [{ backtest_id: 'bt-1', origin: '2024-01-01', model: 'production', level: 'total', stage: 'sqls', metric: 'wape', value: 0.1 }],
      );
      await warehouse.findPublishedRun('req-1');
      await warehouse.productionRun();
      await warehouse.readPublished({ channel: 'Web', source: 'organic', from: AS_OF, to: AS_OF });
      await warehouse.readMapping({ superSegment: 'Outbound' });
      await warehouse.readModelSelection();
      await warehouse.readRun('run-1');
      await warehouse.readForecastVsActual();
      await warehouse.readLatestBacktest();
      await warehouse.listRuns(5);
      expect(fake.jobs.length).toBeGreaterThan(40);
    } finally {
      await fake.close();
    }
  });
});
