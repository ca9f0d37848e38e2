import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeBigQuery } from './fake-bigquery.js';
import { openFakeWarehouse } from './open-fake-warehouse.js';

let fake: FakeBigQuery;
beforeAll(async () => {
  ({ fake } = await openFakeWarehouse());
  await fake.exec(`INSERT INTO "fc"."leads" VALUES ('a', 'Web', 'organic', 'Outbound', DATE '2024-03-01', NULL, NULL)`);
});
afterAll(() => fake.close());

// A job as the client sends it, straight to the REST endpoint.
async function insertJob(query: string, queryParameters: unknown[] = []) {
  const response = await fetch(`${fake.apiEndpoint}/bigquery/v2/projects/test-project/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ configuration: { query: { query, useLegacySql: false, queryParameters } }, jobReference: { jobId: `job-${Math.random()}` } }),
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

  it('parses a script with scripting statements whole (GoogleSQL analyses no script variables) and refuses its syntax errors', async () => {
    expect(await insertJob('DECLARE n INT64 DEFAULT 0;\nSET n = n +;')).toMatchObject({ status: 400, reason: 'invalidQuery', message: expect.stringMatching(/^Syntax error: .*\[at 2:12\]/) });
  });

  it('runs what GoogleSQL accepts: the same checks written in BigQuery SQL', async () => {
    const ok = await insertJob(`SELECT lead_id FROM ${LEADS} WHERE mql_date = @as_of`, [dateParam('as_of', '2024-03-01')]);
    expect(ok.status).toBe(200);
  });
});
