import type { MqlAgeCohort, MqlToSqlHistory } from '@funnelcast/core';
import { describe, expect, it } from 'vitest';
import { lagFromFacts, MIN_MATURED_CONVERTERS } from './lag-from-ages.js';

const GRAIN = { superSegment: 'Outbound', channel: 'Web', source: 'organic' };

/** 100 MQLs a day for 60 days; 40% convert, half after 5 days and half after 15: the expected counts by age. */
function young(): MqlToSqlHistory {
  const byAge: MqlAgeCohort[] = [];
  for (let age = 1; age <= 60; age++) {
    const share = (age > 5 ? 0.2 : 0) + (age > 15 ? 0.2 : 0);
    byAge.push({ ...GRAIN, ageDays: age, mqls: 100, sqls: 100 * share });
  }
  return { byAge, lagCounts: [], laterSqls: 0 };
}

describe('lagFromFacts', () => {
  it('reads the lag from the open cohorts when no cohort has matured', () => {
    const pmf = lagFromFacts(young());
    expect(pmf[5]).toBeCloseTo(0.5, 10);
    expect(pmf[15]).toBeCloseTo(0.5, 10);
    expect(pmf.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
  });

  it('smooths a noisy conversion by age into a non-decreasing one', () => {
    const facts = young();
    // One day's cohort converted more than the next, older one: noise, not a negative lag probability.
    const noisy = facts.byAge.map((row) => (row.ageDays === 20 ? { ...row, sqls: 55 } : row));
    const pmf = lagFromFacts({ ...facts, byAge: noisy });
    expect(pmf.every((p) => p >= 0)).toBe(true);
    expect(pmf.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
  });

  it('uses the matured cohorts when they hold enough converters', () => {
    const lagCounts = new Array<number>(31).fill(0);
    lagCounts[30] = MIN_MATURED_CONVERTERS;
    expect(lagFromFacts({ ...young(), lagCounts, laterSqls: MIN_MATURED_CONVERTERS })[30]).toBeCloseTo(0.5, 10);
  });
});
