import { addDays, ConfigError, InputError, type DailySeries } from '@funnelcast/core';
import { describe, expect, it } from 'vitest';
import { intervalVariance, UNTRAINED_SERIES_METHOD, Z } from './arima-plus-forecaster.js';
import { v31FeaturesSql } from './bqml-sql.js';
import { bqmlAnswers, v31Rule } from './testing/bqml-answers.js';
import { closedAfterEach } from './testing/closed-after-each.js';
import type { FakeBigQuery } from './testing/fake-bigquery.js';
import { openFakeWarehouse } from './testing/open-fake-warehouse.js';
import { trainRequest } from './testing/train-request.js';
import { parseBigQuery } from './testing/parse-bigquery.js';

const openFake = closedAfterEach(openFakeWarehouse, (opened) => opened.fake);

const AS_OF = '2024-03-01';
const NOW = new Date('2024-03-01T08:00:00Z');
const series = (key: string, values: number[]): DailySeries => ({ key, start: addDays(AS_OF, -values.length), values });
const web = 'Web\u001forganic';

async function open(setup: Parameters<typeof openFakeWarehouse>[0] = {}, dataEnd = AS_OF) {
  const opened = await openFake({
    fake: { ml: bqmlAnswers({ trainedDataEnd: () => dataEnd }) },
    ...setup,
    options: { now: () => NOW, targetName: 'prod', ...setup.options },
  });
  await opened.warehouse.ensureSchema();
  await opened.fake.exec(`INSERT INTO "fc"."leads" VALUES ('1', 'Web', 'organic', 'Outbound', DATE '2024-01-10', DATE '2024-01-20', NULL)`);
  return opened;
}


const modelJobs = (f: FakeBigQuery) => f.jobs.filter((j) => /\b(CREATE OR REPLACE|ALTER) MODEL\b/.test(j.sql));

describe('funnelcast train on BigQuery', () => {
  it('creates the versioned ARIMA_PLUS and V3.1 models, evaluates them and stores the evaluations', async () => {
    const { fake, warehouse } = await open({ target: { modelDataset: 'ml' } });
    const result = await warehouse.trainModels(trainRequest());

    expect(result.models).toEqual([
      { stage: 'mqls', modelType: 'ARIMA_PLUS', modelName: 'model_mql_arima_plus_prod_v1', version: 1, bytes: null },
      { stage: 'sqls', modelType: 'BOOSTED_TREE_REGRESSOR', modelName: 'model_tof_sql_regressor_v3_1_final_prod_v1', version: 1, bytes: null },
    ]);
    const [arima, tree] = modelJobs(fake).map((j) => j.sql);
    expect(arima).toContain('CREATE OR REPLACE MODEL `test-project.ml.model_mql_arima_plus_prod_v1`');
    expect(arima).toContain("time_series_id_col = ['channel_grouping_name', 'original_source']");
    expect(arima).toContain("holiday_region = 'GB'");
    expect(arima).toContain('horizon = 120');
    expect(arima).toContain('decompose_time_series = TRUE');
    expect(arima).toContain("GENERATE_DATE_ARRAY(DATE '2023-03-01', DATE '2024-02-29')");
    expect(tree).toContain("model_type = 'BOOSTED_TREE_REGRESSOR'");
    expect(tree).toContain("input_label_cols = ['target_sqls']");
    expect(tree).toContain("data_split_method = 'SEQ'");
    // The training query selects from THE feature definition, from the day the 28-day lag is full.
    expect(tree).toContain(v31FeaturesSql('').replace(/FROM $/, ''));
    expect(tree).toContain("WHERE date_day >= DATE '2023-03-29'");
    expect(fake.jobs.some((j) => j.sql.includes('ML.EVALUATE(MODEL `test-project.ml.model_tof_sql_regressor_v3_1_final_prod_v1`)'))).toBe(true);
    expect(fake.jobs.some((j) => j.sql.includes('ML.ARIMA_EVALUATE(MODEL `test-project.ml.model_mql_arima_plus_prod_v1`)'))).toBe(true);

    const stored = await fake.exec(`SELECT model_name, version, stage, series, metric, value FROM "fc"."model_evaluations" ORDER BY model_name, metric`);
    expect(stored).toContainEqual({ model_name: 'model_mql_arima_plus_prod_v1', version: 1n, stage: 'mqls', series: 'Web / organic', metric: 'aic', value: 100 });
    expect(stored).toContainEqual({ model_name: 'model_mql_arima_plus_prod_v1', version: 1n, stage: 'mqls', series: 'Web / organic', metric: 'has_drift', value: 0 });
    expect(stored).toContainEqual({ model_name: 'model_tof_sql_regressor_v3_1_final_prod_v1', version: 1n, stage: 'sqls', series: null, metric: 'r2_score', value: 0.6 });
    expect(stored).toHaveLength(7 + 6);
    expect(result.evaluations).toHaveLength(13);

    // A second training is the next version; the first stays where it is.
    const again = await warehouse.trainModels(trainRequest({ trainId: 'tr_2', stages: ['sqls'] }));
    expect(again.models.map((m) => m.modelName)).toEqual(['model_tof_sql_regressor_v3_1_final_prod_v2']);
  });

  it('names models per target, so two targets on one dataset never overwrite each other', async () => {
    const { fake, warehouse } = await open();
    await warehouse.trainModels(trainRequest({ stages: ['mqls'] }));
    await warehouse.trainModels(trainRequest({ stages: ['mqls'], target: 'staging' }));
    expect(modelJobs(fake).map((j) => /MODEL `[^`]+`/.exec(j.sql)?.[0])).toEqual([
      'MODEL `test-project.fc.model_mql_arima_plus_prod_v1`',
      'MODEL `test-project.fc.model_mql_arima_plus_staging_v1`',
    ]);
  });

  it('prices the training in a dry run and sends nothing but dry-run jobs', async () => {
    const { fake, warehouse } = await open();
    const before = fake.jobs.length;
    const result = await warehouse.trainModels(trainRequest({ dryRun: true }));
    expect(result.evaluations).toEqual([]);
    expect(result.models.map((m) => [m.modelName, m.version, m.bytes])).toEqual([
      ['model_mql_arima_plus_prod_vnext', null, 1_048_576],
      ['model_tof_sql_regressor_v3_1_final_prod_vnext', null, 1_048_576],
    ]);
    const sent = fake.jobs.slice(before);
    expect(sent).toHaveLength(2);
    expect(sent.every((j) => j.dryRun)).toBe(true);
  });
});

describe('arima-plus forecaster', () => {
  it('in a refresh, refuses until funnelcast train has trained a model, and never trains', async () => {
    const { fake, warehouse } = await open();
    const forecast = warehouse.forecaster('arima-plus')!.forecast({ asOf: AS_OF, horizon: 5, series: [series(web, [1, 2])] });
    await expect(forecast).rejects.toBeInstanceOf(ConfigError);
    await expect(forecast).rejects.toThrow(/funnelcast train --target prod/);
    expect(modelJobs(fake)).toEqual([]);
  });

  it('in a refresh, reads the latest trained version from the as-of date, with ML.FORECAST only', async () => {
    const { fake, warehouse } = await open({}, '2024-02-27');
    await warehouse.trainModels(trainRequest({ asOf: '2024-02-27', stages: ['mqls'] }));
    const trainedJobs = fake.jobs.length;
    const forecaster = warehouse.forecaster('arima-plus', 'refresh')!;
    expect(forecaster.onlyFromTrainingEnd).toBe(true);
    const result = await forecaster.forecast({ asOf: AS_OF, horizon: 5, series: [series(web, [1, 0, 2, 3]), series('New\u001fchannel', [4, 2])] });

    expect(result[0]).toEqual({ key: web, mean: [10, 10, 10, 10, 10], variance: expect.any(Array), method: 'arima-plus' });
    for (const v of result[0]!.variance) expect(v).toBeCloseTo(4, 9);
    // A combination the model never saw: its recent mean, said so in its method.
    expect(result[1]).toEqual({ key: 'New\u001fchannel', mean: Array(5).fill(3), variance: Array(5).fill(3), method: UNTRAINED_SERIES_METHOD });
    const sent = fake.jobs.slice(trainedJobs);
    expect(sent.filter((j) => /MODEL\b/.test(j.sql) && !/ML\.FORECAST/.test(j.sql))).toEqual([]);
    // Three days (27, 28 and 29 February) from the end of the training data to the as-of date, then the 5 asked for.
    expect(sent.find((j) => j.sql.includes('ML.FORECAST'))?.sql).toContain('ML.FORECAST(MODEL `test-project.fc.model_mql_arima_plus_prod_v1`, STRUCT(8 AS horizon, 0.95 AS confidence_level))');
  });

  it('refuses an as-of date before the trained data ends, or beyond the trained horizon', async () => {
    const { warehouse } = await open();
    await warehouse.trainModels(trainRequest({ stages: ['mqls'] }));
    const forecaster = warehouse.forecaster('arima-plus')!;
    await expect(forecaster.forecast({ asOf: '2024-02-20', horizon: 5, series: [{ key: web, start: '2024-02-18', values: [1, 2] }] })).rejects.toThrow(/after the as-of date 2024-02-20/);
    await expect(forecaster.forecast({ asOf: '2024-08-30', horizon: 5, series: [{ key: web, start: '2024-08-28', values: [1, 2] }] })).rejects.toThrow(/reaches 180 days past 2024-03-01 \(training.arimaHorizon\)/);
  });

  it('in a backtest, trains a scratch model per origin that expires, on exactly the series given', async () => {
    const { fake, warehouse } = await open({ target: { modelDataset: 'ml' } });
    const forecaster = warehouse.forecaster('arima-plus', 'backtest')!;
    const input = [series(web, [1, 0, 2, 3]), series('falling', [5, 4, 3, 2])];
    const result = await forecaster.forecast({ asOf: AS_OF, horizon: 5, series: input });
    await forecaster.forecast({ asOf: '2024-02-01', horizon: 3, series: [{ key: web, start: '2024-01-29', values: [1, 2, 3] }] });

    expect(result.map((s) => [s.key, s.mean])).toEqual([[web, [10, 10, 10, 10, 10]], ['falling', [0, 0, 0, 0, 0]]]);
    const scripts = modelJobs(fake).map((j) => j.sql);
    expect(scripts).toHaveLength(2);
    const names = scripts.map((s) => /MODEL `test-project\.ml\.(\w+)`/.exec(s)?.[1]);
    expect(names[0]).toMatch(/^model_mql_arima_plus_prod_bt_20240301_[0-9a-f]{8}$/);
    expect(names[1]).toMatch(/^model_mql_arima_plus_prod_bt_20240201_[0-9a-f]{8}$/);
    expect(scripts[0]).toContain(`ALTER MODEL \`test-project.ml.${names[0]}\` SET OPTIONS(expiration_timestamp = TIMESTAMP '2024-03-02 08:00:00+00')`);
    expect(scripts[0]).toContain("time_series_id_col = 'series_key'");
    // The statements around the model (training table, its rows) are plain SQL and must parse as BigQuery's.
    for (const job of fake.jobs.filter((j) => /_training/.test(j.sql) && !/MODEL/.test(j.sql))) expect(() => parseBigQuery(job.sql.replace(/\nOPTIONS\(expiration_timestamp = [^)]*\)/, '')), job.sql).not.toThrow();
    const points = await fake.exec(`SELECT series_key, strftime(date_day, '%Y-%m-%d') AS d, value FROM "ml"."${names[0]}_training" ORDER BY 1, 2`);
    expect(points).toEqual(
      [...input].sort((a, b) => (a.key < b.key ? -1 : 1)).flatMap((s) => s.values.map((value, i) => ({ series_key: s.key, d: addDays(s.start, i), value }))),
    );
  });

  it('refuses a series that does not end the day before the as-of date', async () => {
    const { fake, warehouse } = await open();
    const before = fake.jobs.length;
    const bad = { key: 'x', start: '2024-01-01', values: [1, 2] };
    await expect(warehouse.forecaster('arima-plus')?.forecast({ asOf: AS_OF, horizon: 3, series: [bad] })).rejects.toBeInstanceOf(InputError);
    expect(fake.jobs.slice(before)).toEqual([]);
  });

  it('turns interval widths into a variance: ((upper − lower) / (2·1.96))², the wider band winning', () => {
    expect(intervalVariance(6, 14, 9.5, 10.5)).toBeCloseTo(((14 - 6) / (2 * 1.96)) ** 2, 3);
    expect(intervalVariance(9, 11, 5, 15)).toBeCloseTo((10 / (2 * Z[0.5])) ** 2, 9);
    expect(intervalVariance(3, 3, 3, 3)).toBe(0);
  });
});

describe('v3.1-bqml forecaster', () => {
  const history = Array.from({ length: 40 }, (_, i) => (i % 7) + 2);

  it('forecasts the whole horizon in ONE job, feeding its own predictions back into the lags', async () => {
    const { fake, warehouse } = await open();
    const before = fake.jobs.length;
    const horizon = 10;
    const result = await warehouse.forecaster('v3.1-bqml')!.forecast({ asOf: AS_OF, horizon, series: [series('Outbound', history), series('Other', history.map(() => 1))] });

    // The same recursion, written out independently.
    const path = [...history];
    const expected: number[] = [];
    for (let d = 0; d < horizon; d++) {
      const mean = (n: number) => path.slice(-n).reduce((a, b) => a + b, 0) / n;
      const value = Math.max(0, v31Rule('Outbound', mean(7), mean(28)));
      path.push(value);
      expected.push(value);
    }
    expect(result[0]?.key).toBe('Outbound');
    result[0]?.mean.forEach((m, d) => expect(m).toBeCloseTo(expected[d] ?? NaN, 9));
    expect(result[1]).toEqual({ key: 'Other', mean: Array(horizon).fill(0), variance: Array(horizon).fill(0), method: 'v3.1-bqml' });

    const sent = fake.jobs.slice(before).filter((j) => j.sql.includes('ML.PREDICT'));
    expect(sent).toHaveLength(1);
    const [script] = sent;
    // Before any training, the seed's model by its configured name.
    expect(script?.sql).toContain('ML.PREDICT(MODEL `test-project.fc.model_tof_sql_regressor_v3_1_final`');
    expect(script?.sql).toMatch(/WHILE step < @horizon DO/);
    // The features come from the one definition training uses.
    expect(script?.sql).toContain(v31FeaturesSql('').replace(/FROM $/, ''));
    expect(script?.params).toMatchObject({ as_of: AS_OF, horizon: 10 });
    expect((script?.params.history as unknown[]).length).toBe(80);
  });

  it('reads the latest trained version once funnelcast train has trained one', async () => {
    const { fake, warehouse } = await open();
    await warehouse.trainModels(trainRequest({ stages: ['sqls'] }));
    await warehouse.forecaster('v3.1-bqml')!.forecast({ asOf: AS_OF, horizon: 3, series: [series('Outbound', history)] });
    expect(fake.jobs.at(-1)?.sql).toContain('ML.PREDICT(MODEL `test-project.fc.model_tof_sql_regressor_v3_1_final_prod_v1`');
  });

  it('in a backtest, trains an expiring scratch regressor on the origin series first', async () => {
    const { fake, warehouse } = await open();
    await warehouse.forecaster('v3.1-bqml', 'backtest')!.forecast({ asOf: AS_OF, horizon: 3, series: [series('Outbound', history)] });
    const [create] = modelJobs(fake).map((j) => j.sql);
    expect(create).toMatch(/^CREATE OR REPLACE MODEL `test-project\.fc\.model_tof_sql_regressor_v3_1_final_prod_bt_20240301_[0-9a-f]{8}`/);
    expect(create).toContain("input_label_cols = ['target_sqls']");
    expect(create).toContain('SET OPTIONS(expiration_timestamp = ');
    expect(fake.jobs.at(-1)?.sql).toMatch(/ML\.PREDICT\(MODEL `test-project\.fc\.model_tof_sql_regressor_v3_1_final_prod_bt_20240301_/);
  });
});
