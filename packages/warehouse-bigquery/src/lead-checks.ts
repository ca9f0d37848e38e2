import {
  InputError,
  LEADS,
  leadRulesFor,
  SEGMENT_RULE,
  superSegmentsLine,
  type LeadCheck,
  type LeadCheckKind,
  type LeadCheckOf,
  type LeadColumn,
  type LeadRule,
  type Problem,
} from '@funnelcast/core';
import type { LeadsSource } from './leads-source.js';
import { decodeValue } from './row-values.js';

/**
 * core's leads contract compiled to BigQuery SQL. The embedded warehouse refuses bad rows at import; BigQuery leads
 * arrive by other pipelines, so each history read checks them in SQL alongside its aggregates (one scan, counts and
 * an example per rule) and nothing is forecast — let alone published — from leads that break a rule.
 */

const isText = (column: LeadColumn) => LEADS.columns.find((c) => c.name === column)?.type === 'STRING';

// Each kind of check as BigQuery SQL selecting the leads that break it; `null` where BigQuery cannot hold such a
// lead (a DATE column holds only dates) or the rule is about loading, which BigQuery leaves to other pipelines.
// `unique` is a GROUP BY of its own in {@link leadChecksSql}.
const OFFENDING: { readonly [K in LeadCheckKind]: ((column: LeadColumn, check: LeadCheckOf<K>) => string) | null } = {
  present: (column) => (isText(column) ? `(${column} IS NULL OR TRIM(${column}) = '')` : `${column} IS NULL`),
  date: null,
  'not-after-today': (column) => `${column} > @today`,
  'not-before': (column, { earlier }) => `${column} < ${earlier}`,
  needs: (column, { earlier }) => `${column} IS NOT NULL AND ${earlier} IS NULL`,
  unique: (column) => `${column} IS NOT NULL GROUP BY ${column} HAVING COUNT(*) > 1`,
  new: null,
  configured: (column) => `${column} NOT IN UNNEST(@super_segments)`,
};

function offending(rule: LeadRule): string | null {
  // TypeScript cannot pair the table's entry with the check's kind by itself.
  const compile = OFFENDING[rule.check.kind] as ((column: LeadColumn, check: LeadCheck) => string) | null;
  return compile && compile(rule.column, rule.check);
}

/** The rules BigQuery checks, each with the SQL selecting the leads that break it, in the order of the check's rows. */
export function bigQueryLeadRules(segments: boolean): readonly { readonly rule: LeadRule; readonly offending: string }[] {
  return leadRulesFor({ text: false, adding: false, configured: segments }).flatMap((rule) => {
    const sql = offending(rule);
    return sql === null ? [] : [{ rule, offending: sql }];
  });
}

/** The row of {@link leadChecksSql} counting the leads that break any rule, each once. */
const ANY_RULE = -1;

/**
 * One query listing, per broken rule, how many leads break it and one example lead id, and (as rule {@link ANY_RULE})
 * how many leads break any; with `segments`, leads of a super-segment outside `@super_segments` are refused too.
 */
export function leadChecksSql(leads: LeadsSource, segments: boolean): string {
  const rules = bigQueryLeadRules(segments);
  const branches = rules.map((r, i) => `SELECT ${i} AS rule_no, lead_id FROM scoped WHERE ${r.offending}`);
  // A lead with no id breaks the rule requiring one and cannot be told from another, so each such row counts once.
  // The example column's NULL is typed: BigQuery types a bare NULL INT64, which does not union with lead_id's STRING.
  const noId = rules.findIndex((r) => r.rule.check.kind === 'present' && r.rule.column === 'lead_id');
  return `${leads.with},
scoped AS (SELECT * FROM leads WHERE mql_date IS NULL OR mql_date < @as_of),
broken AS (
  ${branches.join('\n  UNION ALL\n  ')}
)
SELECT rule_no, COUNT(*) AS n, MIN(lead_id) AS example FROM broken GROUP BY rule_no
UNION ALL
SELECT ${ANY_RULE}, COUNT(DISTINCT lead_id) + COUNTIF(lead_id IS NULL AND rule_no = ${noId}), CAST(NULL AS STRING) FROM broken HAVING COUNT(*) > 0
ORDER BY rule_no`;
}

/**
 * Turns the rows of {@link leadChecksSql} into an error.
 * @throws InputError counting, per broken rule, the leads that break it, with an example lead of each; when the
 * segment rule is broken, the config line that would accept the leads' segments comes first.
 */
export function throwIfBroken(rows: readonly Record<string, unknown>[], segments: boolean, segmentsFound: readonly string[] = []): void {
  const rules = bigQueryLeadRules(segments).map((r) => r.rule.rule);
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
