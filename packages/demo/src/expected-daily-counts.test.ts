import { addDays, combinationKey, dateRange } from '@funnelcast/core';
import { describe, expect, it } from 'vitest';
import { gridRows, sumByCombination, sumBySegment } from './count-grid.js';
import { demoProcess } from './demo-process.js';
import { expectedDailyCounts, expectedSegmentDailyCounts } from './expected-daily-counts.js';

const OPTIONS = { end: '2026-06-01', start: '2025-12-01' } as const;
const FROM = '2026-03-01';
const TO = '2026-04-15';

describe('expectedDailyCounts', () => {
  const grid = expectedDailyCounts(OPTIONS, FROM, TO);
  const process = demoProcess(OPTIONS);

  it('covers every cell on every day of [from, to)', () => {
    expect(grid.from).toBe(FROM);
    expect(grid.days).toBe(45);
    expect(grid.mqls).toHaveLength(grid.cells.length * 45);
    expect(gridRows(grid)).toHaveLength(grid.cells.length * 45);
    expect(gridRows(grid)[0]).toMatchObject({ date: FROM, superSegment: grid.cells[0]?.superSegment });
  });

  it('recovers the process: MQLs as expected and SQLs/SQOs by a brute-force convolution over dates', () => {
    const byCombination = sumByCombination(grid);
    // A launched, a split and a steady combination, on a weekday, a weekend and the window's last days.
    const checked = process.combinations.filter((c) => ['tiktok', 'trade_show', 'sales_prospecting'].includes(c.source));
    expect(checked).toHaveLength(3);
    for (const combination of checked) {
      const series = byCombination.get(combinationKey(combination));
      dateRange(FROM, TO).forEach((date, day) => {
        if (![0, 4, 5, 30, 44].includes(day)) return;
        expect(series?.mqls[day]).toBeCloseTo(process.expected(date, combination).mqls, 12);
        let sqls = 0;
        process.sqlLag.forEach((p, k) => {
          const cohort = process.expected(addDays(date, -k), combination);
          sqls += cohort.mqls * cohort.sqlRate * p;
        });
        expect(series?.sqls[day]).toBeCloseTo(sqls, 12);
        let sqos = 0;
        process.sqoLag.forEach((q, j) => {
          const sqlDate = addDays(date, -j);
          process.sqlLag.forEach((p, k) => {
            const cohort = process.expected(addDays(sqlDate, -k), combination);
            sqos += cohort.mqls * cohort.sqlRate * p * cohort.sqoRate * q;
          });
        });
        expect(series?.sqos[day]).toBeCloseTo(sqos, 12);
      });
    }
  });

  it('counts conversions of leads from before the window, so a day does not depend on the window', () => {
    const later = expectedDailyCounts(OPTIONS, '2026-03-20', TO);
    const offset = 19;
    for (let cell = 0; cell < grid.cells.length; cell++) {
      for (let day = 0; day < later.days; day++) {
        for (const stage of ['mqls', 'sqls', 'sqos'] as const) {
          expect(later[stage][cell * later.days + day]).toBeCloseTo(grid[stage][cell * grid.days + day + offset] ?? NaN, 12);
        }
      }
    }
    // On the window's first day, SQLs come only from MQLs before it.
    const first = [...sumBySegment(later).values()].reduce((s, series) => s + (series.sqls[0] ?? 0), 0);
    expect(first).toBeGreaterThan(0.5);
  });

  it('starts from nothing before the first lead', () => {
    const atStart = expectedDailyCounts(OPTIONS, OPTIONS.start, addDays(OPTIONS.start, 2));
    const total = sumBySegment(atStart);
    const sqlsDayZero = [...total.values()].reduce((s, series) => s + (series.sqls[0] ?? 0), 0);
    const mqlsDayZero = [...total.values()].reduce((s, series) => s + (series.mqls[0] ?? 0), 0);
    // Only same-day conversions of the first day's MQLs.
    expect(sqlsDayZero).toBeLessThan(0.25 * mqlsDayZero);
  });

  it('sums per super-segment', () => {
    const rows = expectedSegmentDailyCounts(OPTIONS, FROM, TO);
    expect(rows).toHaveLength(45 * 4);
    const totalRows = rows.reduce((s, r) => s + r.sqls, 0);
    expect(totalRows).toBeCloseTo(grid.sqls.reduce((s, v) => s + v, 0), 9);
    const trade = grid.cells.filter((c) => c.source === 'trade_show').map((c) => c.superSegment).sort();
    expect(trade).toEqual(['Inbound_Marketing', 'Outbound']);
  });

  it('refuses a reversed window', () => {
    expect(() => expectedDailyCounts(OPTIONS, TO, FROM)).toThrow(/after from/);
  });
});
