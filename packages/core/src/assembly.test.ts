import { describe, expect, it } from 'vitest';
import { assembleProductionRows, productionRowValues, type AssemblyInput } from './assembly.js';
import { PRODUCTION_FORECAST, type ProductionRow } from './columns.js';
import { InputError } from './errors.js';
import type { DailyCounts } from './ports.js';
import { combinationKey, MSTL_ETS, V3_RIDGE } from './vocabulary.js';

const web = { channel: 'Web', source: 'organic' };
const email = { channel: 'Email', source: 'apollo' };
const webKey = combinationKey(web);
const emailKey = combinationKey(email);

const sqls = (date: string, superSegment: string, n: number): DailyCounts => ({ date, superSegment, ...web, mqls: 0, sqls: n, sqos: 0 });

// End of April into May: the month resets on 05-01, the quarter does not.
const input: AssemblyInput = {
  asOf: '2025-05-02',
  horizon: 2,
  runId: 'run-7',
  generatedAt: '2025-05-02T06:00:00.000Z',
  actualsFrom: '2025-04-29',
  combinations: [web, email], // unsorted on purpose
  daily: [sqls('2025-04-29', 'Outbound', 1), sqls('2025-04-29', 'Other', 2), sqls('2025-05-01', 'Outbound', 2), sqls('2025-05-02', 'Outbound', 50)],
  forecasts: { mqls: [], sqls: [{ key: webKey, mean: [1, 0.5], variance: [1, 0.5], method: 'm' }], sqos: [] },
  rates: new Map([[webKey, 0.25], [emailKey, 0.1]]),
  models: { mqls: MSTL_ETS, sqls: V3_RIDGE },
};

describe('assembleProductionRows', () => {
  const rows = assembleProductionRows(input);
  const webRows = rows.filter((r) => r.Channel_Grouping_Name === 'Web');

  it('covers every combination on every day, sorted by date, channel, source', () => {
    expect(rows.map((r) => `${r.date_day} ${r.Channel_Grouping_Name}`)).toEqual([
      '2025-04-29 Email', '2025-04-29 Web', '2025-04-30 Email', '2025-04-30 Web', '2025-05-01 Email', '2025-05-01 Web',
      '2025-05-02 Email', '2025-05-02 Web', '2025-05-03 Email', '2025-05-03 Web',
    ]);
    expect(rows.map((r) => r.data_type)).toEqual([...Array(6).fill('ACTUAL'), ...Array(4).fill('FORECAST')]);
  });

  it('sums actuals over segments, fills zeros, and ignores days from the as-of date on', () => {
    expect(webRows.map((r) => r.sqls_actual)).toEqual([3, 0, 2, null, null]);
    expect(webRows.map((r) => r.sqls_combined)).toEqual([3, 0, 2, 1, 0.5]);
  });

  it('runs MTD and QTD across actuals and forecast, resetting MTD at the month start', () => {
    expect(webRows.map((r) => r.sqls_mtd)).toEqual([3, 3, 2, 3, 3.5]);
    expect(webRows.map((r) => r.sqls_qtd)).toEqual([3, 3, 5, 6, 6.5]);
  });

  it('resets QTD at the quarter start', () => {
    const q = assembleProductionRows({
      ...input,
      asOf: '2025-07-01',
      actualsFrom: '2025-06-30',
      horizon: 1,
      daily: [sqls('2025-06-30', 'Outbound', 4)],
      forecasts: { mqls: [], sqls: [{ key: webKey, mean: [1], variance: [1], method: 'm' }], sqos: [] },
    }).filter((r) => r.Channel_Grouping_Name === 'Web');
    expect(q.map((r) => [r.sqls_mtd, r.sqls_qtd, r.quarter, r.month])).toEqual([[4, 4, 2, 6], [1, 1, 3, 7]]);
  });

  it('publishes count bounds on FORECAST rows and NULLs on ACTUAL rows', () => {
    const forecast = webRows[3];
    // Poisson(1): quantiles 0, 0, 2, 3.
    expect(forecast).toMatchObject({ sqls_forecast: 1, sqls_lower_95: 0, sqls_lower_50: 0, sqls_upper_50: 2, sqls_upper_95: 3, sqls_actual: null });
    expect(webRows[0]).toMatchObject({ sqls_forecast: null, sqls_lower_95: null, sqls_upper_95: null, sqls_own_var: null, sqls_shared_sd: null });
  });

  it('splits each forecast cell\'s variance into its own part and its share of the common level error', () => {
    const overdispersed = assembleProductionRows({
      ...input,
      forecasts: { mqls: [], sqls: [{ key: webKey, mean: [2, 0.5], variance: [18, 0.25], method: 'm' }], sqos: [] },
    }).filter((r) => r.Channel_Grouping_Name === 'Web' && r.data_type === 'FORECAST');
    // 18 = 2 Poisson + 16 excess, a quarter of it shared: own 2 + 12, shared sd √4; an under-dispersed day is all its own.
    expect(overdispersed.map((r) => [r.sqls_own_var, r.sqls_shared_sd])).toEqual([[14, 2], [0.25, 0]]);
  });

  it('gives a stage without a forecast mean 0 and zero-width bounds', () => {
    const emailForecast = rows.find((r) => r.Channel_Grouping_Name === 'Email' && r.data_type === 'FORECAST');
    expect(emailForecast).toMatchObject({ sqls_forecast: 0, sqls_lower_95: 0, sqls_upper_95: 0, mqls_forecast: 0, sqos_forecast: 0 });
  });

  it('carries calendar parts, the rate, the models and the run', () => {
    expect(webRows[2]).toMatchObject({
      quarter: 2, month: 5, year: 2025, sql_to_sqo_rate: 0.25, mql_model: MSTL_ETS, sql_model: V3_RIDGE,
      run_id: 'run-7', as_of: '2025-05-02', generated_at: '2025-05-02T06:00:00.000Z',
    });
  });

  it('refuses a combination without a rate and a forecast nobody would publish', () => {
    expect(() => assembleProductionRows({ ...input, rates: new Map([[webKey, 0.25]]) })).toThrow(InputError);
    expect(() => assembleProductionRows({ ...input, rates: new Map([[webKey, 0.25]]) })).toThrow(/Email \/ apollo/);
    const stray = { key: combinationKey({ channel: 'Ghost', source: 'x' }), mean: [1, 1], variance: [1, 1], method: 'm' };
    expect(() => assembleProductionRows({ ...input, forecasts: { ...input.forecasts, sqls: [stray] } })).toThrow(/Ghost \/ x/);
  });
});

describe('productionRowValues', () => {
  it('reads every production column, in declared order', () => {
    // A distinct value per column, so a missing, repeated or swapped column shows.
    const row = Object.fromEntries(PRODUCTION_FORECAST.columns.map((column, i) => [column.name, `cell ${i}`]));
    expect(productionRowValues(row as unknown as ProductionRow)).toEqual(PRODUCTION_FORECAST.columns.map((_, i) => `cell ${i}`));
  });

  it('fills the array it is given, so a reader can use one for every row', () => {
    const into: (string | number | null)[] = PRODUCTION_FORECAST.columns.map(() => 'stale');
    const row = Object.fromEntries(PRODUCTION_FORECAST.columns.map((column, i) => [column.name, i]));
    expect(productionRowValues(row as unknown as ProductionRow, into)).toBe(into);
    expect(into).toEqual(PRODUCTION_FORECAST.columns.map((_, i) => i));
  });
});
