import { InputError, type Problem } from '@funnelcast/core';
import type { LeadsSource } from './leads-source.js';
import { decodeValue } from './row-values.js';

/**
 * The leads contract checked where the leads live. The embedded warehouse refuses bad rows at import; BigQuery
 * leads arrive by other pipelines, so each history read checks them in SQL alongside its aggregates (one scan, counts
 * and an example per rule) and nothing is forecast — let alone published — from leads that break a rule.
 */

/** Each rule with the SQL selecting the `lead_id`s that break it, among leads with no MQL or one before `@as_of`. */
export const LEAD_RULES: readonly { readonly rule: string; readonly offending: string }[] = [
  {
    rule: 'lead_id, channel_grouping_name, original_source, super_segment and mql_date are required',
    offending:
      'lead_id IS NULL OR channel_grouping_name IS NULL OR original_source IS NULL OR super_segment IS NULL OR mql_date IS NULL',
  },
  { rule: 'sql_date must not be before mql_date', offending: 'sql_date < mql_date' },
  { rule: 'sqo_date must not be before sql_date', offending: 'sqo_date < sql_date' },
  { rule: 'an SQO must have an sql_date', offending: 'sqo_date IS NOT NULL AND sql_date IS NULL' },
  // A date past today is a typo or a clock error; it would silently count as a future event forever.
  { rule: 'no stage date may be after today', offending: 'mql_date > @today OR sql_date > @today OR sqo_date > @today' },
];

/** The rule checked when the configured super-segments are known (`@super_segments`). */
export const SEGMENT_RULE = {
  rule: 'super_segment must be a configured super-segment',
  offending: 'super_segment NOT IN UNNEST(@super_segments)',
} as const;

const UNIQUE_RULE = 'lead_id must be unique';

// The rules in the order their numbers appear in the check query's rows.
const rulesChecked = (segments: boolean) => [...LEAD_RULES, ...(segments ? [SEGMENT_RULE] : [])];

/**
 * One query listing, per broken rule, how many leads break it and one example lead id; with `segments`, leads of
 * a super-segment outside `@super_segments` are refused too.
 */
export function leadChecksSql(leads: LeadsSource, segments: boolean): string {
  const rules = rulesChecked(segments);
  const branches = [
    ...rules.map((r, i) => `SELECT ${i} AS rule_no, lead_id FROM scoped WHERE ${r.offending}`),
    `SELECT ${rules.length} AS rule_no, lead_id FROM scoped WHERE lead_id IS NOT NULL GROUP BY lead_id HAVING COUNT(*) > 1`,
  ];
  return `${leads.with},
scoped AS (SELECT * FROM leads WHERE mql_date IS NULL OR mql_date < @as_of),
broken AS (
  ${branches.join('\n  UNION ALL\n  ')}
)
SELECT rule_no, COUNT(*) AS n, MIN(lead_id) AS example FROM broken GROUP BY rule_no ORDER BY rule_no`;
}

/**
 * Turns the rows of {@link leadChecksSql} into an error.
 * @throws InputError listing every broken rule, with how many leads break it and an example.
 */
export function throwIfBroken(rows: readonly Record<string, unknown>[], segments: boolean): void {
  const rules = [...rulesChecked(segments).map((r) => r.rule), UNIQUE_RULE];
  const problems: Problem[] = rows.map((row) => {
    const example = decodeValue('STRING', row.example);
    return {
      where: `leads${example === null ? '' : ` (e.g. lead_id ${JSON.stringify(example)})`}`,
      message: `${rules[Number(row.rule_no)] ?? 'unknown rule'}: ${Number(row.n)} lead(s) break it`,
    };
  });
  if (problems.length) throw new InputError(problems, 'The leads break the leads contract:');
}
