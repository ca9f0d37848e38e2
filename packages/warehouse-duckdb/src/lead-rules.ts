import type { IsoDate, Problem, RelationDeclaration, RowOf } from '@funnelcast/core';
import type { Db, SqlParams } from './connection.js';
import { sqlString } from './sql-text.js';

const lead = { role: 'dimension', group: 'grain' } as const;
const day = { role: 'dimension', group: 'calendar' } as const;

/**
 * The leads contract: one row per lead, the canonical input (design.md, "Inputs"). Declared like core's relations
 * so the `leads` table's DDL comes from the same type table as every other table.
 */
export const LEADS = {
  name: 'leads',
  kind: 'table',
  description: 'One row per lead: its grain and the day it reached each funnel stage.',
  columns: [
    { name: 'lead_id', type: 'STRING', nullable: false, label: 'Lead ID', description: 'Identifies the lead.', ...lead },
    { name: 'channel_grouping_name', type: 'STRING', nullable: false, label: 'Channel', description: 'Channel grouping.', ...lead },
    { name: 'original_source', type: 'STRING', nullable: false, label: 'Source', description: 'Original source.', ...lead },
    { name: 'super_segment', type: 'STRING', nullable: false, label: 'Super-segment', description: 'Coarse segment.', ...lead },
    { name: 'mql_date', type: 'DATE', nullable: false, label: 'MQL date', description: 'Day the lead became an MQL.', ...day },
    { name: 'sql_date', type: 'DATE', nullable: true, label: 'SQL date', description: 'Day it became an SQL, if it did.', ...day },
    { name: 'sqo_date', type: 'DATE', nullable: true, label: 'SQO date', description: 'Day it became an SQO, if it did.', ...day },
  ],
  primaryKey: ['lead_id'],
} as const satisfies RelationDeclaration;

/** One lead as the demo generator and tests write it: ISO dates, `null` for a stage not reached. */
export type LeadRecord = RowOf<typeof LEADS>;

/** The contract's column names, in order. */
export const LEAD_COLUMNS: readonly string[] = LEADS.columns.map((c) => c.name);

/** The staging table every load goes through (all VARCHAR, as read), and the typed view rules are checked on. */
export const STAGING_TABLE = 'leads_staging';
const STAGED_VIEW = 'leads_staged';

/** Where a staged row came from, to name it in problems. */
export interface StagedSource {
  /** The file name or `rows`. */
  readonly name: string;
  /** SQL text turning the 1-based data-row number `row` into a location, e.g. `'leads.csv line ' || (row + 1)`. */
  readonly locate: (row: string) => string;
}

/** What the rules depend on beyond the rows themselves. */
export interface LeadRuleOptions {
  /** Segments the SQL model knows; a lead in another one is refused. Unchecked when absent. */
  readonly superSegments?: readonly string[] | undefined;
  /** Refuse lead ids already in `leads` (an append); off when the load replaces the table. */
  readonly againstExisting: boolean;
  /** Today's date: a stage date after it is refused (a typo or a clock error, not a future event). */
  readonly today: IsoDate;
}

/** One rule of the contract, checked in SQL against the staged view: `offending` selects the rows that break it. */
interface LeadRule {
  readonly column: string;
  readonly rule: string;
  readonly offending: string;
  /** SQL text of the per-row message. */
  readonly detail: string;
  /** Values `offending` and `detail` take as bound parameters: names from the config never become SQL text. */
  readonly params?: SqlParams;
}

// Text empty after trimming counts as absent: CSV exports write a missing date as "" or " ".
const KEYS = ['lead_id', 'channel_grouping_name', 'original_source', 'super_segment', 'mql_date'] as const;
const DATES = [['mql_date', 'mql'], ['sql_date', 'sql'], ['sqo_date', 'sqo']] as const;
const quoted = (expr: string) => `'"' || ${expr} || '"'`;

function leadRules(options: LeadRuleOptions): LeadRule[] {
  const rules: LeadRule[] = KEYS.map((column) => ({
    column,
    rule: `${column} is required`,
    offending: `${column} IS NULL`,
    detail: `'is empty; every lead needs a ${column}'`,
  }));
  for (const [column, parsed] of DATES) {
    rules.push(
      {
        column,
        rule: `${column} must be an ISO date`,
        offending: `${column} IS NOT NULL AND ${parsed} IS NULL`,
        detail: `${quoted(column)} || ' is not a date written YYYY-MM-DD'`,
      },
      {
        column,
        rule: `${column} must not be after today`,
        offending: `${parsed} > DATE ${sqlString(options.today)}`,
        detail: `${column} || ${sqlString(` is after today (${options.today}): a lead cannot reach a stage in the future`)}`,
      },
    );
  }
  rules.push(
    {
      column: 'sql_date',
      rule: 'sql_date must not be before mql_date',
      offending: 'sql < mql',
      detail: `'SQL on ' || sql_date || ' is before its MQL on ' || mql_date`,
    },
    {
      column: 'sqo_date',
      rule: 'sqo_date must not be before sql_date',
      offending: 'sqo < sql',
      detail: `'SQO on ' || sqo_date || ' is before its SQL on ' || sql_date`,
    },
    {
      column: 'sqo_date',
      rule: 'an SQO must have an sql_date',
      offending: 'sqo_date IS NOT NULL AND sql_date IS NULL',
      detail: `'SQO on ' || sqo_date || ' but sql_date is empty: a lead becomes an SQL before an SQO'`,
    },
    {
      column: 'lead_id',
      rule: 'lead_id must be unique',
      offending: 'lead_id IS NOT NULL AND row_no > first_row_of_id',
      detail: `'lead_id ' || ${quoted('lead_id')} || ' repeats the one on ' || first_row_label`,
    },
  );
  if (options.againstExisting) {
    rules.push({
      column: 'lead_id',
      rule: 'lead_id must not already be imported',
      offending: 'lead_id IN (SELECT lead_id FROM leads)',
      detail: `'lead_id ' || ${quoted('lead_id')} || ' is already in the warehouse (import with replace to swap the whole table)'`,
    });
  }
  if (options.superSegments) {
    const allowed = options.superSegments.map((segment, i) => [`segment_${i}`, segment] as const);
    rules.push({
      column: 'super_segment',
      rule: 'super_segment must be a configured super-segment',
      offending: `super_segment IS NOT NULL AND super_segment NOT IN (${allowed.map(([param]) => `$${param}`).join(', ') || 'NULL'})`,
      detail: `${quoted('super_segment')} || ' is not one of: ' || $allowed`,
      params: { ...Object.fromEntries(allowed), allowed: options.superSegments.join(', ') },
    });
  }
  return rules;
}

/** Examples reported per rule; the count always covers every row. */
export const EXAMPLES_PER_RULE = 20;

const parsedDate = (column: string) =>
  `CASE WHEN regexp_full_match(${column}, '\\d{4}-\\d{2}-\\d{2}') THEN TRY_CAST(${column} AS DATE) END`;

/**
 * Checks every staged row against the leads contract in SQL and returns every problem (up to
 * {@link EXAMPLES_PER_RULE} examples per rule, plus a count line when more rows break it).
 */
export async function checkStagedLeads(db: Db, source: StagedSource, options: LeadRuleOptions): Promise<Problem[]> {
  const trimmed = LEAD_COLUMNS.map((c) => `NULLIF(trim(${c}), '') AS ${c}`).join(', ');
  await db.run(`
    CREATE OR REPLACE TEMP VIEW ${STAGED_VIEW} AS
    WITH t AS (SELECT rowid + 1 AS row_no, ${trimmed} FROM ${STAGING_TABLE})
    SELECT *, ${DATES.map(([c, p]) => `${parsedDate(c)} AS ${p}`).join(', ')},
      min(row_no) OVER (PARTITION BY lead_id) AS first_row_of_id,
      ${source.locate('first_row_of_id')} AS first_row_label
    FROM t`);
  const problems: Problem[] = [];
  for (const rule of leadRules(options)) {
    const rows = await db.all<{ where_: string; message: string; total: number }>(`
      SELECT ${source.locate('row_no')} || ${sqlString(` column ${rule.column}`)} AS where_,
             ${rule.detail} AS message, CAST(count(*) OVER () AS DOUBLE) AS total
      FROM ${STAGED_VIEW} WHERE ${rule.offending} ORDER BY row_no LIMIT ${EXAMPLES_PER_RULE}`, rule.params);
    problems.push(...rows.map((r) => ({ where: r.where_, message: r.message })));
    const total = rows[0]?.total ?? 0;
    if (total > rows.length) {
      problems.push({ where: source.name, message: `${rule.rule}: ${total} rows break it (first ${rows.length} shown)` });
    }
  }
  return problems;
}

/** Moves the checked staged rows into `leads`, typed. Call inside the load's transaction. */
export async function insertStagedLeads(db: Db): Promise<number> {
  return db.run(`
    INSERT INTO leads
    SELECT lead_id, channel_grouping_name, original_source, super_segment, mql, sql, sqo FROM ${STAGED_VIEW}`);
}

/** Drops the staging relations (temp objects would otherwise live until the connection closes). */
export async function dropStaging(db: Db): Promise<void> {
  await db.run(`DROP VIEW IF EXISTS ${STAGED_VIEW}`);
  await db.run(`DROP TABLE IF EXISTS ${STAGING_TABLE}`);
}
