import { addDays } from '@funnelcast/core';
import { describe, expect, it } from 'vitest';
import { sumBySegment } from './count-grid.js';
import { drawFutures, drawGrid } from './draw-futures.js';
import { expectedDailyCounts } from './expected-daily-counts.js';
import { generateLeads } from './generate-leads.js';

const OPTIONS = { end: '2026-06-01', start: '2026-01-01' } as const;
const FROM = OPTIONS.end;
const TO = addDays(FROM, 45);

const total = (values: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i] ?? 0;
  return s;
};

describe('drawFutures', () => {
  const draws = drawFutures(OPTIONS, FROM, TO, 400, 9);

  it('is reproducible for a seed and differs for another', () => {
    const again = drawFutures(OPTIONS, FROM, TO, 3, 9);
    expect(drawGrid(again, 2).sqls).toEqual(drawGrid(draws, 2).sqls);
    expect(drawFutures(OPTIONS, FROM, TO, 3, 10).sqls).not.toEqual(again.sqls);
    expect(() => drawGrid(draws, 400)).toThrow(RangeError);
  });

  it('averages to its exact conditional expectation', () => {
    for (const stage of ['mqls', 'sqls', 'sqos'] as const) {
      const expected = total(draws.mean[stage]);
      const mean = total(draws[stage]) / draws.count;
      // Window totals are at most Poisson-dispersed here, so 5 standard errors of a Poisson total is generous.
      expect(Math.abs(mean - expected), stage).toBeLessThan(5 * Math.sqrt(expected / draws.count));
    }
  });

  it('agrees with expectedDailyCounts per super-segment (the pipeline at from only shifts it a little)', () => {
    const expected = sumBySegment(expectedDailyCounts(OPTIONS, FROM, TO));
    const perDraw = draws.cells.length * draws.days;
    for (const [segment, series] of expected) {
      const cells = draws.cells.flatMap((cell, i) => (cell.superSegment === segment ? [i] : []));
      let sum = 0;
      for (let d = 0; d < draws.count; d++) {
        for (const cell of cells) {
          const at = d * perDraw + cell * draws.days;
          sum += total(draws.sqls.subarray(at, at + draws.days));
        }
      }
      const mean = sum / draws.count;
      expect(Math.abs(mean / total(series.sqls) - 1), segment).toBeLessThan(0.12);
    }
  });

  it('equals expectedDailyCounts exactly when there is no history yet', () => {
    const fresh = drawFutures(OPTIONS, OPTIONS.start, addDays(OPTIONS.start, 60), 1, 1);
    const expected = expectedDailyCounts(OPTIONS, OPTIONS.start, addDays(OPTIONS.start, 60));
    for (const stage of ['mqls', 'sqls', 'sqos'] as const) {
      expected[stage].forEach((value, i) => expect(fresh.mean[stage][i]).toBeCloseTo(value, 12));
    }
  });

  it('gives MQL window totals with Poisson dispersion', () => {
    const perDraw = draws.cells.length * draws.days;
    const totals = Array.from({ length: draws.count }, (_, d) => total(draws.mqls.subarray(d * perDraw, (d + 1) * perDraw)));
    const mean = totals.reduce((s, v) => s + v, 0) / totals.length;
    const variance = totals.reduce((s, v) => s + (v - mean) ** 2, 0) / (totals.length - 1);
    expect(variance / mean).toBeGreaterThan(0.75);
    expect(variance / mean).toBeLessThan(1.3);
  });

  it('conditions on the snapshot: its expectation tracks what then really happened, seed after seed', () => {
    const horizon = 15;
    let residual = 0;
    let variance = 0;
    for (let seed = 1; seed <= 25; seed++) {
      const options = { end: FROM, start: '2026-03-01', seed, futureDays: horizon } as const;
      const truth = generateLeads(options).filter((lead) => lead.sql_date !== null && lead.sql_date >= FROM).length;
      const conditional = total(drawFutures(options, FROM, addDays(FROM, horizon), 1, 0).mean.sqls);
      residual += truth - conditional;
      variance += conditional;
    }
    expect(Math.abs(residual)).toBeLessThan(4 * Math.sqrt(variance));
  });

  it('refuses a bad count or seed, listing both', () => {
    expect(() => drawFutures(OPTIONS, FROM, TO, 0, 1.5)).toThrow(/count[\s\S]*seed/);
  });
});
