import { addDays, combinationKey, toDayNumber } from '@funnelcast/core';
import { describe, expect, it } from 'vitest';
import { DEMO_PROFILES, resolveDemoOptions } from './demo-options.js';
import { RAMP_SQL_RATE_FROM, RAMP_SQL_RATE_TO, RAMP_STEP, RAMP_STEP_DAYS_BEFORE_END } from './demo-profile-shape.js';
import { demoProcess } from './demo-process.js';
import { drawFutures } from './draw-futures.js';
import { expectedDailyCounts } from './expected-daily-counts.js';
import { generateLeads } from './generate-leads.js';

const END = '2026-12-01';
const endDay = toDayNumber(END);

describe('the ramp profile', () => {
  const ramp = demoProcess({ end: END, profile: 'ramp' });
  // Same combinations, calendar and drift, anchored at the same end: the ratio isolates what ramp adds.
  const small = demoProcess({ end: END, profile: 'small' });
  const step = endDay - RAMP_STEP_DAYS_BEFORE_END;
  const google = small.combinations.findIndex((c) => c.channel === 'Paid Search' && c.source === 'google');

  it('has 300 days of history, whatever start says', () => {
    expect(resolveDemoOptions({ end: END, profile: 'ramp' }).start).toBe(addDays(END, -300));
    const earlier = demoProcess({ end: END, profile: 'ramp', start: addDays(END, -730) });
    expect(earlier.mqlMean(endDay - 301, google)).toBe(0);
    expect(earlier.mqlMean(endDay - 300, google)).toBeGreaterThan(0);
    expect(generateLeads({ end: END, profile: 'ramp' })[0]?.mql_date).toBe(addDays(END, -300));
  });

  it('has a quiet month, then MQLs four times their earlier level', () => {
    const ratio = (day: number) => ramp.mqlMean(day, google) / small.mqlMean(day, google);
    expect(ratio(step - 45)).toBeCloseTo(2, 9);
    expect(ratio(step - 10)).toBeCloseTo(1, 9);
    expect(ratio(step)).toBeCloseTo(2 * RAMP_STEP, 9);
    expect(ratio(endDay + 30)).toBeCloseTo(2 * RAMP_STEP, 9);
    // In the leads: the month after the step against the month before the quiet one, calendar effects and all.
    const leads = generateLeads({ end: END, profile: 'ramp' });
    const between = (from: number, to: number) => leads.filter((l) => toDayNumber(l.mql_date) >= from && toDayNumber(l.mql_date) < to).length;
    const before = between(step - 60, step - 30);
    expect(between(step - 30, step) / before).toBeLessThan(0.7);
    expect(between(step, step + 30) / before).toBeGreaterThan(3.5);
    expect(between(step, step + 30) / before).toBeLessThan(7);
  });

  it('converts MQLs to SQLs from half to 1.5× the base rate as sales ramps up', () => {
    const first = endDay - 300;
    const factor = (day: number) => ramp.sqlRateAt(day, google) / small.sqlRateAt(day, google);
    expect(factor(first)).toBeCloseTo(RAMP_SQL_RATE_FROM, 9);
    expect(factor(first + 150)).toBeCloseTo((RAMP_SQL_RATE_FROM + RAMP_SQL_RATE_TO) / 2, 9);
    expect(factor(endDay)).toBeCloseTo(RAMP_SQL_RATE_TO, 9);
    expect(factor(endDay + 60)).toBeCloseTo(RAMP_SQL_RATE_TO, 9);
    const leads = generateLeads({ end: END, profile: 'ramp' });
    const rate = (from: number, to: number) => {
      const cohort = leads.filter((l) => toDayNumber(l.mql_date) >= from && toDayNumber(l.mql_date) < to);
      return cohort.filter((l) => l.sql_date !== null).length / cohort.length;
    };
    expect(rate(endDay - 120, endDay - 60)).toBeGreaterThan(1.5 * rate(first, first + 60));
  });

  it('launches a channel two days before end, with leads right away, and another before the last monthly origin', () => {
    const marketplace = ramp.combinations.find((c) => c.source === 'marketplace');
    const roadshow = ramp.combinations.find((c) => c.source === 'roadshow');
    expect(marketplace?.launch).toBe(addDays(END, -2));
    expect(roadshow?.launch).toBe(addDays(END, -33));
    const leads = generateLeads({ end: END, profile: 'ramp' });
    const firstLead = (source: string) => leads.find((l) => l.original_source === source)?.mql_date ?? 'none';
    // A refresh at end sees its first leads only (the process makes several a day; this realisation starts on day 2).
    expect([addDays(END, -2), addDays(END, -1)]).toContain(firstLead('marketplace'));
    expect(firstLead('roadshow')).toBe(addDays(END, -33));
    expect(small.combinations.some((c) => c.source === 'marketplace')).toBe(false);
  });
});

describe('the sparse profile', () => {
  const sparse = demoProcess({ end: END, profile: 'sparse' });
  const startDay = endDay - 730;

  it('has 240 distinct combinations over the four super-segments, most under a lead a week', () => {
    expect(sparse.combinations).toHaveLength(240);
    expect(new Set(sparse.combinations.map(combinationKey)).size).toBe(240);
    expect(new Set(sparse.cells.map((c) => c.superSegment)).size).toBe(4);
    const leads = generateLeads({ end: END, profile: 'sparse' });
    const counts = new Map<string, { leads: number; first: number; last: number }>();
    for (const lead of leads) {
      const key = combinationKey({ channel: lead.channel_grouping_name, source: lead.original_source });
      const day = toDayNumber(lead.mql_date);
      const entry = counts.get(key) ?? { leads: 0, first: day, last: day };
      counts.set(key, { leads: entry.leads + 1, first: Math.min(entry.first, day), last: Math.max(entry.last, day) });
    }
    expect(counts.size).toBeGreaterThanOrEqual(200);
    // Per week of each combination's own life, so a late launch does not pass for a sparse series.
    const weekly = [...counts.values()].map((c) => (7 * c.leads) / (c.last - c.first + 1));
    expect(weekly.filter((w) => w < 1).length).toBeGreaterThan(0.75 * counts.size);
    // A few big ones carry a good part of the total.
    const sizes = [...counts.values()].map((c) => c.leads).sort((a, b) => b - a);
    expect(sizes.slice(0, 6).reduce((a, b) => a + b, 0)).toBeGreaterThan(0.3 * leads.length);
    expect(leads.length / 730).toBeGreaterThan(10);
  });

  it('launches and retires channels throughout the history', () => {
    const launched = sparse.combinations.flatMap((c) => (c.launch ? [toDayNumber(c.launch)] : []));
    const retired = sparse.combinations.flatMap((c) => (c.retire ? [toDayNumber(c.retire)] : []));
    expect(launched.length).toBeGreaterThan(50);
    expect(retired.length).toBeGreaterThan(50);
    for (const days of [launched, retired]) {
      // Spread over the two years: some in each half.
      expect(days.filter((d) => d < startDay + 365).length).toBeGreaterThan(15);
      expect(days.filter((d) => d >= startDay + 365 && d < endDay).length).toBeGreaterThan(15);
    }
    for (const [index, combination] of sparse.combinations.entries()) {
      if (combination.launch) expect(sparse.mqlMean(toDayNumber(combination.launch) - 1, index)).toBe(0);
      if (combination.retire) expect(sparse.mqlMean(toDayNumber(combination.retire), index)).toBe(0);
      if (combination.launch && combination.retire) expect(combination.launch < combination.retire).toBe(true);
    }
  });
});

describe('every profile', () => {
  it.each(DEMO_PROFILES)('%s: is seed-free, and its draws average to the expected counts', (profile) => {
    const options = { end: END, profile };
    const date = addDays(END, -20);
    const combination = demoProcess(options).combinations[0]!;
    expect(demoProcess({ ...options, seed: 9 }).expected(date, combination)).toEqual(demoProcess(options).expected(date, combination));
    const to = addDays(END, 14);
    const draws = drawFutures(options, END, to, 200, 3);
    const expected = expectedDailyCounts({ ...options, futureDays: 14 }, END, to);
    const total = (values: ArrayLike<number>) => Array.from(values).reduce((a, b) => a + b, 0);
    const mqlExpected = total(expected.mqls);
    expect(total(draws.mqls) / 200 / mqlExpected).toBeGreaterThan(0.95);
    expect(total(draws.mqls) / 200 / mqlExpected).toBeLessThan(1.05);
    expect(total(draws.mean.mqls)).toBeCloseTo(mqlExpected, 6);
  });
});
