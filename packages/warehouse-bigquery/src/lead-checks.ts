import { InputError, superSegmentsLine, type Problem } from '@funnelcast/core';
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

/** The rule a lead id repeated in the leads breaks. */
export const UNIQUE_RULE = 'lead_id must be unique';

// The rules in the order their numbers appear in the check query's rows.
const rulesChecked = (segments: boolean) => [...LEAD_RULES, ...(segments ? [SEGMENT_RULE] : [])];

/** The row of {@link leadChecksSql} counting the leads that break any rule, each once. */
const ANY_RULE = -1;

/**
 * One query listing, per broken rule, how many leads break it and one example lead id, and (as rule {@link ANY_RULE})
 * how many leads break any; with `segments`, leads of a super-segment outside `@super_segments` are refused too.
 */
export function leadChecksSql(leads: LeadsSource, segments: boolean): string {
  const rules = rulesChecked(segments);
  const branches = [
    ...rules.map((r, i) => `SELECT ${i} AS rule_no, lead_id FROM scoped WHERE ${r.offending}`),
    `SELECT ${rules.length} AS rule_no, lead_id FROM scoped WHERE lead_id IS NOT NULL GROUP BY lead_id HAVING COUNT(*) > 1`,
  ];
  // A lead with no id breaks rule 0 and cannot be told from another, so each such row counts as one lead. The
  // example column's NULL is typed: BigQuery types a bare NULL INT64, which does not union with lead_id's STRING.
  return `${leads.with},
scoped AS (SELECT * FROM leads WHERE mql_date IS NULL OR mql_date < @as_of),
broken AS (
  ${branches.join('\n  UNION ALL\n  ')}
)
SELECT rule_no, COUNT(*) AS n, MIN(lead_id) AS example FROM broken GROUP BY rule_no
UNION ALL
SELECT ${ANY_RULE}, COUNT(DISTINCT lead_id) + COUNTIF(lead_id IS NULL AND rule_no = 0), CAST(NULL AS STRING) FROM broken HAVING COUNT(*) > 0
ORDER BY rule_no`;
}

/**
 * Turns the rows of {@link leadChecksSql} into an error.
 * @throws InputError counting, per broken rule, the leads that break it, with an example lead of each; when the
 * segment rule is broken, the config line that would accept the leads' segments comes first.
 */
export function throwIfBroken(rows: readonly Record<string, unknown>[], segments: boolean, segmentsFound: readonly string[] = []): void {
  const rules = [...rulesChecked(segments).map((r) => r.rule), UNIQUE_RULE];
  const perRule = rows.filter((row) => Number(row.rule_no) !== ANY_RULE);
  if (perRule.length === 0) return;
  const leads = Number(rows.find((row) => Number(row.rule_no) === ANY_RULE)?.n ?? 0);
  const ruleOf = (row: Record<string, unknown>) => rules[Number(row.rule_no)] ?? 'unknown rule';
  const examples: Problem[] = perRule.map((row) => {
    const example = decodeValue('STRING', row.example);
    return { where: `leads${example === null ? '' : ` lead_id ${JSON.stringify(example)}`}`, message: `breaks: ${ruleOf(row)}` };
  });
  const hint: Problem[] = perRule.some((row) => ruleOf(row) === SEGMENT_RULE.rule)
    ? [{ where: 'superSegments (config)', message: `the leads name super-segments the config does not list: set superSegments in the config file to your leads' segments with this line:\n      ${superSegmentsLine(segmentsFound)}` }]
    : [];
  throw new InputError(
    [...hint, ...examples],
    `The leads break the leads contract: ${leads.toLocaleString('en-US')} ${leads === 1 ? 'lead breaks' : 'leads break'} it (one example per rule shown):`,
    perRule.map((row) => ({ rule: ruleOf(row), rows: Number(row.n) })),
  );
}
