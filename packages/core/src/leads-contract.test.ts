import { describe, expect, it } from 'vitest';
import { LEAD_COLUMNS, LEAD_RULES, leadRulesFor, LEADS, messageParts } from './leads-contract.js';

describe('the leads contract', () => {
  it('requires every non-nullable column and orders the stages mql ≤ sql ≤ sqo, a later one needing the earlier', () => {
    const required = LEAD_RULES.filter((r) => r.check.kind === 'present').map((r) => r.column);
    expect(required).toEqual(LEADS.columns.filter((c) => !c.nullable).map((c) => c.name));
    expect(LEAD_RULES.filter((r) => r.check.kind === 'not-before').map((r) => [r.column, 'earlier' in r.check && r.check.earlier])).toEqual([
      ['sql_date', 'mql_date'],
      ['sqo_date', 'sql_date'],
    ]);
    expect(LEAD_RULES.filter((r) => r.check.kind === 'needs').map((r) => r.rule)).toEqual(['an SQO must have an sql_date']);
    expect(new Set(LEAD_RULES.map((r) => r.rule)).size).toBe(LEAD_RULES.length);
    for (const rule of LEAD_RULES) expect(LEAD_COLUMNS).toContain(rule.column);
  });

  it('applies the rules of the scopes that hold', () => {
    const names = (context: Parameters<typeof leadRulesFor>[0]) => leadRulesFor(context).map((r) => r.rule);
    const all = names({ text: true, adding: true, configured: true });
    expect(all).toEqual(LEAD_RULES.map((r) => r.rule));
    const bigQuery = names({ text: false, adding: false, configured: false });
    expect(bigQuery).not.toContain('mql_date must be a date');
    expect(bigQuery).not.toContain('lead_id must not already be imported');
    expect(bigQuery).not.toContain('super_segment must be a configured super-segment');
    expect(bigQuery).toContain('lead_id must be unique');
  });

  it('splits a message into text and the values it names', () => {
    expect(messageParts('SQL on {sql_date} is before its MQL on {mql_date}')).toEqual([
      { text: 'SQL on ' },
      { value: 'sql_date' },
      { text: ' is before its MQL on ' },
      { value: 'mql_date' },
    ]);
    expect(messageParts('"{value}" is not {accepted_dates}')).toEqual([{ text: '"' }, { value: 'value' }, { text: '" is not ' }, { value: 'accepted_dates' }]);
  });
});
