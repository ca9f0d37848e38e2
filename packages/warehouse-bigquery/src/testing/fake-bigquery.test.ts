import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { v31ForecastScript } from '../bqml-sql.js';
import type { FakeBigQuery } from './fake-bigquery.js';
import { analysedStatements } from './googlesql-analyser.js';
import { openFakeWarehouse, TEST_TOKEN } from './open-fake-warehouse.js';

let fake: FakeBigQuery;
const ARIMA = '`test-project.fc.model_mql_arima_plus`';
const V31 = '`test-project.fc.model_tof_sql_regressor_v3_1_final`';
beforeAll(async () => {
  // An ARIMA_PLUS model trained before the test, one series per `series_key` (the V3.1 regressor is always there).
  const arima = { kind: 'time_series', labels: [], idColumns: [{ name: 'series_key', type: { typeKind: 'TYPE_STRING' } }] } as const;
  const trained = { fields: [], rows: [] };
  ({ fake } = await openFakeWarehouse({ fake: { models: { 'test-project.fc.model_mql_arima_plus': arima }, ml: async () => trained } }));
  await fake.exec(`INSERT INTO "fc"."leads" VALUES ('a', 'Web', 'organic', 'Outbound', DATE '2024-03-01', NULL, NULL)`);
});
afterAll(() => fake.close());

// A job as the client sends it, straight to the REST endpoint.
async function insertJob(query: string, queryParameters: unknown[] = [], dryRun = false) {
  const response = await fetch(`${fake.apiEndpoint}/bigquery/v2/projects/test-project/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_TOKEN}` },
    body: JSON.stringify({ configuration: { query: { query, useLegacySql: false, queryParameters }, dryRun }, jobReference: { jobId: `job-${Math.random()}` } }),
  });
  const body = (await response.json()) as { error?: { message: string; errors: { reason: string }[] } };
  return { status: response.status, reason: body.error?.errors[0]?.reason, message: body.error?.message };
}

const LEADS = '`test-project.fc.leads`';
const dateParam = (name: string, value: string) => ({ name, parameterType: { type: 'DATE' }, parameterValue: { value } });

describe('the BigQuery test server refuses what GoogleSQL refuses, with its message', () => {
  // Each of these ran in the DuckDB translation before: DuckDB knows strftime and list_contains, compares a VARCHAR
  // with a DATE by casting, and reads "fc"."leads" as a quoted identifier.
  it.each([
    ['a DuckDB function (strftime)', `SELECT strftime(mql_date, '%Y') FROM ${LEADS}`, [], /^Function not found: strftime \[at 1:8\]$/],
    ['a DuckDB function (list_contains)', `SELECT lead_id FROM ${LEADS} WHERE list_contains(['a'], lead_id)`, [], /^Function not found: list_contains/],
    [
      'a STRING column compared with a DATE parameter',
      `SELECT lead_id FROM ${LEADS} WHERE lead_id = @as_of`,
      [dateParam('as_of', '2024-03-01')],
      /^No matching signature for operator = for argument types: STRING, DATE/,
    ],
    ['a double-quoted identifier', 'SELECT lead_id FROM "fc"."leads"', [], /^Syntax error: Unexpected string literal "fc" \[at 1:21\]$/],
    ['a parameter the job does not declare', `SELECT lead_id FROM ${LEADS} WHERE mql_date = @as_of`, [], /^Query parameter 'as_of' not found/],
    ['an option BigQuery does not know', `CREATE TABLE IF NOT EXISTS \`test-project.fc.t\` (a STRING) OPTIONS(descripton = 'x')`, [], /^Unknown option: descripton \[at 1:67\]$/],
    ['an option of the wrong type', `CREATE OR REPLACE MODEL \`test-project.fc.m\` OPTIONS(model_type = 'ARIMA_PLUS', horizon = 'ten') AS SELECT mql_date FROM ${LEADS}`, [], /horizon/],
  ])('refuses %s (400 invalidQuery)', async (_, sql, parameters, message) => {
    const refused = await insertJob(sql, parameters);
    expect(refused).toMatchObject({ status: 400, reason: 'invalidQuery' });
    expect(refused.message).toMatch(message);
  });

  it('refuses a table nobody declared or created as notFound (404)', async () => {
    expect(await insertJob('SELECT * FROM `test-project.fc.no_such_table`')).toEqual({
      status: 404,
      reason: 'notFound',
      message: 'Table not found: `test-project.fc.no_such_table` [at 1:15]',
    });
  });

  it('refuses a script at its bad statement before running any of it', async () => {
    const script = `BEGIN TRANSACTION;\nDELETE FROM ${LEADS} WHERE TRUE;\nSELECT strftime(mql_date, '%Y') FROM ${LEADS};\nCOMMIT TRANSACTION;`;
    expect(await insertJob(script)).toMatchObject({ status: 400, reason: 'invalidQuery', message: expect.stringMatching(/^Function not found: strftime \[at 3:8\]/) });
    expect(await fake.exec('SELECT count(*) AS n FROM "fc"."leads"')).toEqual([{ n: 1n }]);
  });

  it('refuses a script\'s syntax error before analysing any of it', async () => {
    expect(await insertJob('DECLARE n INT64 DEFAULT 0;\nSET n = n +;')).toMatchObject({ status: 400, reason: 'invalidQuery', message: expect.stringMatching(/^Syntax error: .*\[at 2:12\]/) });
  });

  it('runs what GoogleSQL accepts: the same checks written in BigQuery SQL', async () => {
    const ok = await insertJob(`SELECT lead_id FROM ${LEADS} WHERE mql_date = @as_of`, [dateParam('as_of', '2024-03-01')]);
    expect(ok.status).toBe(200);
  });
});

describe('BigQuery ML functions in the analyser catalog, with their documented output columns', () => {
  // Dry runs: the server analyses them as BigQuery does, and has nothing to run them with.
  it.each([
    `SELECT f.series_key, f.forecast_timestamp, f.prediction_interval_upper_bound FROM ML.FORECAST(MODEL ${ARIMA}, STRUCT(7 AS horizon, 0.9 AS confidence_level)) AS f`,
    `SELECT e.series_key, e.non_seasonal_p, e.AIC, e.seasonal_periods FROM ML.ARIMA_EVALUATE(MODEL ${ARIMA}) AS e`,
    `SELECT e.series_key, e.mean_absolute_percentage_error FROM ML.EVALUATE(MODEL ${ARIMA}, TABLE ${LEADS}, STRUCT(7 AS horizon)) AS e`,
    `SELECT x.series_key, x.time_series_type, x.trend, x.seasonal_period_weekly FROM ML.EXPLAIN_FORECAST(MODEL ${ARIMA}, STRUCT(7 AS horizon)) AS x`,
    `SELECT e.mean_absolute_error, e.r2_score FROM ML.EVALUATE(MODEL ${V31}, (SELECT lead_id, 1.0 AS target_sqls FROM ${LEADS})) AS e`,
    `SELECT p.lead_id, p.predicted_target_sqls FROM ML.PREDICT(MODEL ${V31}, TABLE ${LEADS}) AS p WHERE p.mql_date < @as_of`,
  ])('accepts %s', async (sql) => {
    expect(await insertJob(sql, [dateParam('as_of', '2024-03-01')], true)).toMatchObject({ status: 200 });
  });

  it.each([
    [`SELECT f.forecast_date FROM ML.FORECAST(MODEL ${ARIMA}) AS f`, 400, /^Name forecast_date not found inside f/],
    [`SELECT p.nope FROM ML.PREDICT(MODEL ${V31}, (SELECT 1 AS day_of_week)) AS p`, 400, /^Name nope not found inside p/],
    [`SELECT * FROM ML.FORECAST(MODEL \`test-project.fc.no_such_model\`)`, 404, /^Model not found: `test-project.fc.no_such_model`/],
  ])('refuses %s', async (sql, status, message) => {
    const refused = await insertJob(sql, [], true);
    expect(refused.status).toBe(status);
    expect(refused.message).toMatch(message);
  });

  it('knows a model once a CREATE MODEL made it: its series id columns are ML.FORECAST\'s first', async () => {
    const model = '`test-project.fc.by_segment`';
    expect(await insertJob(`SELECT * FROM ML.FORECAST(MODEL ${model})`, [], true)).toMatchObject({ status: 404 });
    const create = `CREATE OR REPLACE MODEL ${model} OPTIONS(model_type = 'ARIMA_PLUS', time_series_timestamp_col = 'mql_date', time_series_data_col = 'n', time_series_id_col = ['super_segment', 'channel_grouping_name']) AS SELECT mql_date, super_segment, channel_grouping_name, COUNT(*) AS n FROM ${LEADS} GROUP BY 1, 2, 3`;
    // A dry run makes nothing: the model is still unknown after it.
    expect(await insertJob(create, [], true)).toMatchObject({ status: 200 });
    expect(await insertJob(`SELECT * FROM ML.FORECAST(MODEL ${model})`, [], true)).toMatchObject({ status: 404 });
    expect(await insertJob(create)).toMatchObject({ status: 200 });
    expect(await insertJob(`SELECT f.super_segment, f.channel_grouping_name, f.forecast_value FROM ML.FORECAST(MODEL ${model}) AS f`, [], true)).toMatchObject({ status: 200 });
  });
});

describe('scripts are analysed statement by statement, with their variables and temporary tables', () => {
  const LOOP = (body: string) => `DECLARE step INT64 DEFAULT 0;\nCREATE TEMP TABLE path AS SELECT lead_id, mql_date FROM ${LEADS};\nWHILE step < 3 DO\n${body}\n  SET step = step + 1;\nEND WHILE;`;
  const asOf = dateParam('as_of', '2024-03-01');

  it.each([
    ['a loop body reading an undeclared variable', LOOP('  SELECT lead_id FROM path WHERE mql_date = DATE_ADD(@as_of, INTERVAL stp DAY);'), /^Unrecognized name: stp; Did you mean step\? \[at 4:71\]$/],
    ['a STRING assigned to an INT64 variable', LOOP("  SET step = CONCAT('a', 'b');"), /^Query column 1 has type STRING which cannot be coerced to target type INT64 \[at 4:14\]$/],
    ['a read of a column the temporary table lacks', LOOP('  SELECT super_segment FROM path;'), /^Unrecognized name: super_segment \[at 4:10\]$/],
    ['an assignment to an undeclared variable', LOOP('  SET total = 1;'), /^Undeclared variable: total \[at 4:3\]$/],
    ['a variable used after the block that declared it', 'BEGIN\n  DECLARE inner_day DATE;\nEND;\nSELECT inner_day;', /^Unrecognized name: inner_day \[at 4:8\]$/],
    ['a DECLARE without a type, typed by its DEFAULT', "DECLARE day DEFAULT DATE '2024-03-01';\nSET day = 5;", /^Query column 1 has type INT64 which cannot be coerced to target type DATE \[at 2:11\]$/],
    ['a loop condition that is not BOOL', 'DECLARE n INT64 DEFAULT 0;\nWHILE n DO\n  SET n = n + 1;\nEND WHILE;', /INT64 which cannot be coerced to target type BOOL \[at 2:7\]$/],
  ])('refuses %s with GoogleSQL\'s message', async (_, script, message) => {
    const refused = await insertJob(script, [asOf], true);
    expect(refused).toMatchObject({ status: 400, reason: 'invalidQuery' });
    expect(refused.message).toMatch(message);
  });

  it('accepts the loop and branches written right, and counts none of it parsed only', async () => {
    const script = LOOP("  IF step = 0 THEN\n    INSERT INTO path SELECT lead_id, DATE_ADD(@as_of, INTERVAL step DAY) FROM path;\n  ELSEIF step > 1 THEN\n    BREAK;\n  END IF;");
    expect(await insertJob(script, [asOf], true)).toMatchObject({ status: 200 });
    expect(analysedStatements.analysed).toContain('INSERT INTO path SELECT lead_id, DATE_ADD(@as_of, INTERVAL step DAY) FROM path;');
    expect(analysedStatements.parsedOnly).not.toContain(script.replace(/\s+/g, ' ').trim());
  });

  it('accepts the V3.1 recursive forecast script: its ML.PREDICT is analysed against the temporary table', async () => {
    const history = {
      name: 'history',
      parameterType: {
        type: 'ARRAY',
        arrayType: { type: 'STRUCT', structTypes: [{ name: 'super_segment', type: { type: 'STRING' } }, { name: 'date_day', type: { type: 'DATE' } }, { name: 'sqls', type: { type: 'FLOAT64' } }] },
      },
      parameterValue: { arrayValues: [] },
    };
    const horizon = { name: 'horizon', parameterType: { type: 'INT64' }, parameterValue: { value: '3' } };
    expect(await insertJob(v31ForecastScript(V31), [history, asOf, horizon], true)).toMatchObject({ status: 200 });
    expect([...analysedStatements.analysed].filter((s) => /^INSERT INTO forecast_path .*ML\.PREDICT\(MODEL /.test(s))).toHaveLength(1);
  });

  it('counts a script with a construct it cannot follow (EXECUTE IMMEDIATE) as parsed only', async () => {
    const script = "DECLARE n INT64 DEFAULT 0;\nEXECUTE IMMEDIATE 'SELECT 1';";
    expect(await insertJob(script, [], true)).toMatchObject({ status: 200 });
    expect(analysedStatements.parsedOnly).toContain(script.replace(/\s+/g, ' ').trim());
  });
});
