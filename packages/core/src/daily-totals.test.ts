import { describe, expect, it } from 'vitest';
import { assembleProductionRows, type AssemblyInput } from './assembly.js';
import { countBounds } from './count-distribution.js';
import { dailyTotals } from './daily-totals.js';
import { landings } from './landings.js';
import { combinationKey, MSTL_ETS, V3_RIDGE } from './vocabulary.js';

const web = { channel: 'Web', source: 'organic' };
const email = { channel: 'Email', source: 'apollo' };

const input: AssemblyInput = {
  asOf: '2025-05-02',
  horizon: 2,
  runId: 'run-7',
  generatedAt: '2025-05-02T06:00:00.000Z',
  actualsFrom: '2025-04-30',
  combinations: [web, email],
  daily: [
    { date: '2025-04-30', superSegment: 'Outbound', ...web, mqls: 4, sqls: 3, sqos: 0 },
    { date: '2025-05-01', superSegment: 'Outbound', ...email, mqls: 1, sqls: 2, sqos: 1 },
    { date: '2025-05-01', superSegment: 'Outbound', ...web, mqls: 2, sqls: 0, sqos: 1 },
  ],
  forecasts: {
    mqls: [],
    sqls: [
      { key: combinationKey(web), mean: [1, 0.5], variance: [5, 0.5], method: 'm' },
      { key: combinationKey(email), mean: [2, 2], variance: [18, 2], method: 'm' },
    ],
    sqos: [],
  },
  rates: new Map([[combinationKey(web), 0.25], [combinationKey(email), 0.1]]),
  models: { mqls: MSTL_ETS, sqls: V3_RIDGE },
};
const rows = assembleProductionRows(input);

describe('dailyTotals', () => {
  it('adds actuals per day and stage, and gives forecast days the bounds of their total', () => {
    const totals = dailyTotals(rows);
    expect(totals.map((t) => `${t.date} ${t.stage}`).slice(0, 4)).toEqual([
      '2025-04-30 mqls', '2025-04-30 sqls', '2025-04-30 sqos', '2025-05-01 mqls',
    ]);
    expect(totals.find((t) => t.date === '2025-05-01' && t.stage === 'mqls')).toMatchObject({ actual: 3, forecast: null, upper95: null });
    const sqls = totals.find((t) => t.date === '2025-05-02' && t.stage === 'sqls');
    // Means 1 and 2; excesses 4 and 16, a quarter shared: own 1 + 3 + 2 + 12, shared sd 1 + 2.
    const bounds = countBounds(3, 18 + 9);
    expect(sqls).toMatchObject({ actual: null, forecast: 3, lower95: bounds.lower95, upper95: bounds.upper95, lower50: bounds.lower50 });
    // Wider than either cell's own band and narrower than the sum of their bounds.
    expect(sqls!.upper95! - sqls!.lower95!).toBeLessThan(countBounds(1, 5).upper95 + countBounds(2, 18).upper95);
  });

  it('agrees with the landing of a single forecast day', () => {
    const oneDay = rows.filter((r) => r.date_day !== '2025-05-03');
    const week = landings(oneDay.filter((r) => r.data_type === 'FORECAST'), 'week').find((l) => l.stage === 'sqls')!;
    const day = dailyTotals(oneDay).find((t) => t.date === '2025-05-02' && t.stage === 'sqls')!;
    expect([day.forecast, day.lower50, day.upper50, day.lower95, day.upper95]).toEqual([week.forecast, week.lower50, week.upper50, week.lower95, week.upper95]);
  });
});
