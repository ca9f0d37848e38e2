import { describe, expect, it } from 'vitest';
import { assembleProductionRows, type AssemblyInput } from './assembly.js';
import { countBounds } from './count-distribution.js';
import { landings, periodLabel, periodStart } from './landings.js';
import { combinationKey, MSTL_ETS, V3_RIDGE } from './vocabulary.js';

const web = { channel: 'Web', source: 'organic' };
const email = { channel: 'Email', source: 'apollo' };
const webKey = combinationKey(web);
const emailKey = combinationKey(email);

// Actuals 2025-04-28 … 05-01, forecast 05-02 and 05-03: April is complete, May's horizon stops short of its end.
const input: AssemblyInput = {
  asOf: '2025-05-02',
  horizon: 2,
  runId: 'run-7',
  generatedAt: '2025-05-02T06:00:00.000Z',
  actualsFrom: '2025-04-28',
  combinations: [web, email],
  daily: [
    { date: '2025-04-29', superSegment: 'Outbound', ...web, mqls: 4, sqls: 3, sqos: 0 },
    { date: '2025-05-01', superSegment: 'Outbound', ...email, mqls: 1, sqls: 2, sqos: 1 },
  ],
  forecasts: {
    mqls: [],
    sqls: [
      { key: webKey, mean: [1, 0.5], variance: [5, 0.5], method: 'm' },
      { key: emailKey, mean: [2, 2], variance: [18, 2], method: 'm' },
    ],
    sqos: [],
  },
  rates: new Map([[webKey, 0.25], [emailKey, 0.1]]),
  models: { mqls: MSTL_ETS, sqls: V3_RIDGE },
};
const rows = assembleProductionRows(input);

describe('landings', () => {
  it('adds the actual to date to the bounds of the forecast total, with the shared level error added as one', () => {
    const may = landings(rows, 'month').find((l) => l.periodStart === '2025-05-01' && l.stage === 'sqls');
    // Forecast 5.5; excesses 4, 0, 16, 0, a quarter shared: own 5.5 + 3 + 12, shared sd 1 + 2, so 20.5 + 3².
    const bounds = countBounds(5.5, 20.5 + 9);
    expect(may).toEqual({
      stage: 'sqls', period: 'month', periodStart: '2025-05-01', actual: 2, forecast: 5.5, landing: 7.5,
      lower50: 2 + bounds.lower50, upper50: 2 + bounds.upper50, lower95: 2 + bounds.lower95, upper95: 2 + bounds.upper95,
      partial: true,
    });
    const independent = countBounds(5.5, 5.5 + 4 + 16);
    expect(bounds.upper95 - bounds.lower95).toBeGreaterThan(independent.upper95 - independent.lower95);
  });

  it('counts a period of actual days exactly and marks only periods the horizon does not reach as partial', () => {
    const april = landings(rows, 'month').filter((l) => l.periodStart === '2025-04-01');
    expect(april.map((l) => [l.stage, l.actual, l.forecast, l.lower95, l.upper95, l.partial])).toEqual([
      ['mqls', 4, 0, 4, 4, false],
      ['sqls', 3, 0, 3, 3, false],
      ['sqos', 0, 0, 0, 0, false],
    ]);
    // Monday 04-28 to Sunday 05-04: the horizon ends on 05-03.
    expect(landings(rows, 'week').map((l) => [l.periodStart, l.partial])).toEqual([
      ['2025-04-28', true], ['2025-04-28', true], ['2025-04-28', true],
    ]);
    expect(landings(assembleProductionRows({ ...input, asOf: '2025-05-03', horizon: 2, actualsFrom: '2025-04-28',
      forecasts: { mqls: [], sqls: [], sqos: [] } }), 'week').every((l) => !l.partial)).toBe(true);
  });
});

describe('periodStart', () => {
  it('starts weeks on Monday, months and quarters on their first day', () => {
    expect(periodStart('2025-05-04', 'week')).toBe('2025-04-28');
    expect(periodStart('2025-05-05', 'week')).toBe('2025-05-05');
    expect(periodStart('2025-05-17', 'month')).toBe('2025-05-01');
    expect(periodStart('2025-05-17', 'quarter')).toBe('2025-04-01');
    expect(periodStart('2025-05-17', 'day')).toBe('2025-05-17');
  });
});

describe('periodLabel', () => {
  it('labels days, ISO weeks, months and quarters one way', () => {
    expect(periodLabel('2026-10-05', 'day')).toBe('2026-10-05');
    expect(periodLabel('2026-10-05', 'week')).toBe('2026-W41');
    expect(periodLabel('2026-10-01', 'month')).toBe('2026-10');
    expect(periodLabel('2026-10-01', 'quarter')).toBe('2026-Q4');
  });

  it('numbers a week in the year of its Thursday', () => {
    // 2024-12-30 is the Monday of 2025-W01; 2021-01-01 falls in 2020-W53.
    expect(periodLabel('2024-12-30', 'week')).toBe('2025-W01');
    expect(periodLabel(periodStart('2021-01-01', 'week'), 'week')).toBe('2020-W53');
    expect(periodLabel('2026-01-05', 'week')).toBe('2026-W02');
  });
});
