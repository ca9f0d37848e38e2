import { describe, expect, it } from 'vitest';
import { conversionCohortsFromDaily, hybridRates } from './hybrid-rates.js';
import type { ConversionCohort } from './ports.js';
import { combinationKey } from './vocabulary.js';

const cohort = (superSegment: string, channel: string, source: string, sqls: number, sqos: number): ConversionCohort => ({
  superSegment, channel, source, sqls, sqos,
});

const email = { channel: 'Email', source: 'apollo' };
const partner = { channel: 'Partner', source: 'referral' };
const webinar = { channel: 'Events', source: 'webinar' };

// Outbound: 100 SQLs, 30 SQOs (rate 0.3). Other: 10 SQLs, 1 SQO (rate 0.1). Global: 31 / 110.
const cohorts = [
  cohort('Outbound', 'Email', 'apollo', 80, 20),
  cohort('Outbound', 'Partner', 'referral', 20, 10),
  cohort('Other', 'Partner', 'referral', 10, 1),
];

describe('hybridRates', () => {
  const rates = hybridRates({ cohorts, combinations: [email, partner, webinar], credibility: 10 });

  it('shrinks a combination toward its segment by credibility (hand-computed)', () => {
    // (20 + 10 · 0.3) / (80 + 10) = 23 / 90.
    const r = rates.get(combinationKey(email));
    expect(r?.rate).toBeCloseTo(23 / 90, 12);
    expect(r).toMatchObject({ ownSqls: 80, ownSqos: 20, parentRate: 0.3 });
  });

  it('weights the parents of a combination in two segments by its SQLs in each', () => {
    // Parent (20 · 0.3 + 10 · 0.1) / 30 = 7/30; rate (11 + 10 · 7/30) / (30 + 10) = 1/3.
    const r = rates.get(combinationKey(partner));
    expect(r?.parentRate).toBeCloseTo(7 / 30, 12);
    expect(r?.rate).toBeCloseTo(1 / 3, 12);
  });

  it('gives a combination without cohorts the global rate', () => {
    expect(rates.get(combinationKey(webinar))).toEqual({ rate: 31 / 110, ownSqls: 0, ownSqos: 0, parentRate: 31 / 110 });
  });

  it('uses the own rate when credibility is 0, and the parent when there are no own SQLs either', () => {
    const raw = hybridRates({ cohorts, combinations: [email, webinar], credibility: 0 });
    expect(raw.get(combinationKey(email))?.rate).toBe(0.25);
    expect(raw.get(combinationKey(webinar))?.rate).toBe(31 / 110);
  });

  it('is 0 with no data at all', () => {
    expect(hybridRates({ cohorts: [], combinations: [email], credibility: 30 }).get(combinationKey(email))?.rate).toBe(0);
  });
});

describe('conversionCohortsFromDaily', () => {
  it('sums SQLs and SQOs per segment × combination inside [start, end)', () => {
    const row = (date: string, sqls: number, sqos: number) => ({ date, superSegment: 'Outbound', ...email, mqls: 0, sqls, sqos });
    const out = conversionCohortsFromDaily([row('2024-12-31', 5, 5), row('2025-01-01', 3, 1), row('2025-02-01', 2, 2), row('2025-03-01', 9, 9)], '2025-01-01', '2025-03-01');
    expect(out).toEqual([cohort('Outbound', 'Email', 'apollo', 5, 3)]);
  });
});
