import { describe, expect, it } from 'vitest';
import { assembleProductionRows } from './assembly.js';
import type { ProductionRow } from './columns.js';
import { checkInvariants } from './invariants.js';
import { combinationKey, MSTL_ETS, V3_RIDGE } from './vocabulary.js';

const combination = { channel: 'Paid Search', source: 'google' };
const key = combinationKey(combination);
const ASOF = '2025-04-01';

// Two ACTUAL days at the end of Q1, three FORECAST days at the start of Q2, one combination.
function goodRows(): ProductionRow[] {
  return assembleProductionRows({
    asOf: ASOF,
    horizon: 3,
    runId: 'run-1',
    generatedAt: '2025-04-01T06:00:00.000Z',
    actualsFrom: '2025-03-30',
    combinations: [combination],
    daily: [
      { date: '2025-03-30', superSegment: 'Outbound', ...combination, mqls: 5, sqls: 2, sqos: 0 },
      { date: '2025-03-31', superSegment: 'Outbound', ...combination, mqls: 0, sqls: 1, sqos: 1 },
    ],
    forecasts: { mqls: [], sqls: [{ key, mean: [2.1, 1, 0.5], variance: [2.1, 1, 0.5], method: 'm' }], sqos: [] },
    rates: new Map([[key, 0.3]]),
    models: { mqls: MSTL_ETS, sqls: V3_RIDGE },
  });
}

const totals = new Map([['2025-04-01', 2.1], ['2025-04-02', 1], ['2025-04-03', 0.5]]);

function check(rows: ProductionRow[], segmentSqlTotals = totals) {
  return checkInvariants({ rows, asOf: ASOF, horizon: 3, activeCombinations: [combination], segmentSqlTotals });
}

function broken(edit: (rows: ProductionRow[]) => void) {
  const rows = goodRows().map((r) => ({ ...r }));
  edit(rows);
  return check(rows);
}

const at = (rows: ProductionRow[], date: string) => rows.find((r) => r.date_day === date) as ProductionRow;
const rules = (violations: ReturnType<typeof check>) => violations.map((v) => v.rule).join(' | ');

describe('checkInvariants', () => {
  it('passes assembled rows', () => {
    expect(check(goodRows())).toEqual([]);
  });

  it('catches a broken bound order, with a readable example', () => {
    const violations = broken((rows) => {
      at(rows, '2025-04-01').sqls_lower_50 = 3;
    });
    expect(violations).toEqual([
      { rule: expect.stringMatching(/lower_50 <= forecast/), count: 1, examples: ['2025-04-01 Paid Search / google sqls: lower_50 3 > forecast 2.1'] },
    ]);
  });

  it('catches every order rule', () => {
    const violations = broken((rows) => {
      const r = at(rows, '2025-04-02');
      r.sqls_lower_95 = 1;
      r.sqls_lower_50 = 0;
      r.mqls_upper_50 = -0;
      r.mqls_forecast = 0.5;
      r.mqls_combined = 0.5;
      r.sqos_upper_50 = 2;
      r.sqos_upper_95 = 1;
    });
    expect(rules(violations)).toMatch(/lower_95 <= lower_50/);
    expect(rules(violations)).toMatch(/forecast <= upper_50/);
    expect(rules(violations)).toMatch(/upper_50 <= upper_95/);
  });

  it('catches negative and non-finite values', () => {
    expect(rules(broken((rows) => { at(rows, '2025-04-01').sqos_lower_95 = -0.5; }))).toMatch(/non-negative/);
    expect(rules(broken((rows) => { at(rows, '2025-04-01').sqls_upper_95 = Number.NaN; }))).toMatch(/finite/);
  });

  it('catches values on the wrong kind of row', () => {
    expect(rules(broken((rows) => { at(rows, '2025-04-01').sqls_actual = 1; }))).toMatch(/FORECAST rows have NULL actuals/);
    expect(rules(broken((rows) => { at(rows, '2025-04-01').sqls_upper_50 = null; }))).toMatch(/FORECAST rows have a forecast/);
    expect(rules(broken((rows) => { at(rows, '2025-03-31').sqls_forecast = 1; }))).toMatch(/ACTUAL rows have NULL forecast/);
    expect(rules(broken((rows) => { at(rows, '2025-03-31').data_type = 'FORECAST'; }))).toMatch(/ACTUAL before the as-of date/);
  });

  it('catches a combination missing on a horizon day', () => {
    const violations = broken((rows) => rows.splice(rows.indexOf(at(rows, '2025-04-02')), 1));
    expect(violations.find((v) => /every active combination/.test(v.rule))).toEqual({
      rule: expect.any(String), count: 1, examples: ['2025-04-02 Paid Search / google missing'],
    });
  });

  it('catches a duplicate row', () => {
    expect(rules(broken((rows) => rows.push({ ...at(rows, '2025-04-03') })))).toMatch(/one row per date and combination/);
  });

  it('catches SQLs that do not add up to the segment totals', () => {
    const violations = check(goodRows(), new Map([...totals, ['2025-04-02', 2]]));
    expect(violations).toHaveLength(1);
    expect(violations[0]?.rule).toMatch(/super-segment totals/);
    // Within the relative tolerance is fine.
    expect(check(goodRows(), new Map([...totals, ['2025-04-02', 1 + 1e-9]]))).toEqual([]);
  });

  it('catches MTD and QTD that are not running sums of combined', () => {
    const violations = broken((rows) => {
      at(rows, '2025-03-31').sqls_mtd = 99;
      at(rows, '2025-04-02').mqls_qtd = 99;
    });
    expect(violations.map((v) => v.rule)).toEqual([expect.stringMatching(/mtd/), expect.stringMatching(/qtd/)]);
    expect(violations[0]?.examples[0]).toMatch(/^2025-03-31 Paid Search \/ google sqls_mtd 99/);
    expect(violations[1]?.examples[0]).toMatch(/^2025-04-02 Paid Search \/ google mqls_qtd 99/);
  });

  it('keeps at most five examples but counts every row', () => {
    const violations = broken((rows) => rows.forEach((r) => { r.sqos_combined = -1; }));
    const negative = violations.find((v) => v.rule.includes('non-negative'));
    expect(negative?.count).toBeGreaterThanOrEqual(5);
    expect(negative?.examples.length).toBe(5);
  });
});
