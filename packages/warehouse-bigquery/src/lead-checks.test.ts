import { leadRulesFor } from '@funnelcast/core';
import { describe, expect, it } from 'vitest';
import { bigQueryLeadRules, leadChecksSql } from './lead-checks.js';
import { parseBigQuery } from './testing/parse-bigquery.js';

describe('the leads contract in BigQuery SQL', () => {
  it.each([false, true])('checks every rule core declares for leads held as typed columns (segments configured: %s)', (segments) => {
    expect(bigQueryLeadRules(segments).map((r) => r.rule.rule)).toEqual(
      leadRulesFor({ text: false, adding: false, configured: segments }).map((r) => r.rule),
    );
    const sql = leadChecksSql({ with: 'WITH leads AS (SELECT * FROM `p.d.leads`)', leadLevel: true }, segments);
    expect(() => parseBigQuery(sql)).not.toThrow();
  });
});
