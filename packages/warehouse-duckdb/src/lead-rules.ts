import { superSegmentsLine, type IsoDate, type Problem, type RelationDeclaration, type RowOf, type RuleCount } from '@funnelcast/core';
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

/** The staging table every load goes through (all VARCHAR, as read), and the typed table rules are checked on. */
export const STAGING_TABLE = 'leads_staging';
// Materialised once: every rule reads it, and a view would parse the dates again for each.
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
  /** A strptime format (`%d/%m/%Y`) dates may be written in besides ISO; the `--date-format` of import. */
  readonly dateFormat?: string | undefined;
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

/** The rule a segment outside `superSegments` breaks; its problems come with the config line that would accept them. */
const SEGMENT_RULE = 'super_segment must be a configured super-segment';

function leadRules(options: LeadRuleOptions): LeadRule[] {
  const rules: LeadRule[] = KEYS.map((column) => ({
    column,
    rule: `${column} is required`,
    offending: `${column} IS NULL`,
    detail: `'is empty; every lead needs a ${column}'`,
  }));
  const written = options.dateFormat
    ? `a date written YYYY-MM-DD or as --date-format ${options.dateFormat}`
    : `a date written YYYY-MM-DD (a time after it is fine; for another format pass --date-format, e.g. '%d/%m/%Y')`;
  for (const [column, parsed] of DATES) {
    rules.push(
      {
        column,
        rule: `${column} must be a date`,
        offending: `${column} IS NOT NULL AND ${parsed} IS NULL`,
        detail: `${quoted(column)} || ${sqlString(` is not ${written}`)}`,
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
      detail: `'lead_id ' || ${quoted('lead_id')} || ' is already in the warehouse (to swap every lead for this file, import it with --replace)'`,
    });
  }
  if (options.superSegments) {
    const allowed = options.superSegments.map((segment, i) => [`segment_${i}`, segment] as const);
    rules.push({
      column: 'super_segment',
      rule: SEGMENT_RULE,
      offending: `super_segment IS NOT NULL AND super_segment NOT IN (${allowed.map(([param]) => `$${param}`).join(', ') || 'NULL'})`,
      detail: `${quoted('super_segment')} || ' is not one of: ' || $allowed`,
      params: { ...Object.fromEntries(allowed), allowed: options.superSegments.join(', ') },
    });
  }
  return rules;
}

/**
 * The contract's rules as a reader sees them, for the leads-contract document: every rule the check applies, with the
 * options that switch the conditional ones on.
 */
export function leadRuleCatalog(): readonly { readonly column: string; readonly rule: string }[] {
  return leadRules({ againstExisting: true, superSegments: [], today: '2000-01-01' as IsoDate }).map(({ column, rule }) => ({ column, rule }));
}

/** Example problems an import lists in all; the count per rule always covers every row. */
export const EXAMPLES_SHOWN = 20;

// ISO, optionally followed by a time (`2026-10-01 00:00:00`, `2026-10-01T00:00:00Z`): the date as written is kept.
const ISO_DAY = String.raw`\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?)?`;
function parsedDate(column: string, dateFormat: string | undefined): string {
  const iso = `CASE WHEN regexp_full_match(${column}, '${ISO_DAY}') THEN TRY_CAST(left(${column}, 10) AS DATE) END`;
  return dateFormat ? `coalesce(${iso}, CAST(try_strptime(${column}, $date_format) AS DATE))` : iso;
}

/** What the rules found: examples to show, how many rows broke each rule, and how many rows broke any. */
export interface LeadCheck {
  /** Examples filling the `room` the hints leave, every broken rule's first rows among them, in row order. */
  readonly problems: readonly Problem[];
  /** How to fix what a row cannot say: the config line for the segments found. */
  readonly hints: readonly Problem[];
  /** Every broken rule with its count of rows. */
  readonly counts: readonly RuleCount[];
  /** Rows breaking at least one rule. */
  readonly rows: number;
}

/**
 * Checks every staged row against the leads contract in SQL: how many rows break each rule, and examples of them
 * taken from every broken rule in turn, so one rule broken 500 times does not hide another broken once. `room` is
 * how many lines the hints and examples may take together.
 */
export async function checkStagedLeads(db: Db, source: StagedSource, options: LeadRuleOptions, room = EXAMPLES_SHOWN): Promise<LeadCheck> {
  const trimmed = LEAD_COLUMNS.map((c) => `NULLIF(trim(${c}), '') AS ${c}`).join(', ');
  const formatParam = options.dateFormat ? { date_format: options.dateFormat } : undefined;
  await db.run(`
    CREATE OR REPLACE TEMP TABLE ${STAGED_VIEW} AS
    WITH t AS (SELECT rowid + 1 AS row_no, ${trimmed} FROM ${STAGING_TABLE})
    SELECT *, ${DATES.map(([c, p]) => `${parsedDate(c, options.dateFormat)} AS ${p}`).join(', ')},
      min(row_no) OVER (PARTITION BY lead_id) AS first_row_of_id,
      ${source.locate('first_row_of_id')} AS first_row_label
    FROM t`, formatParam);
  const rules = leadRules(options);
  const broken: { rule: LeadRule; examples: { row: number; problem: Problem }[]; rows: number }[] = [];
  for (const rule of rules) {
    const rows = await db.all<{ row_no: number; where_: string; message: string; total: number }>(`
      SELECT CAST(row_no AS DOUBLE) AS row_no, ${source.locate('row_no')} || ${sqlString(` column ${rule.column}`)} AS where_,
             ${rule.detail} AS message, CAST(count(*) OVER () AS DOUBLE) AS total
      FROM ${STAGED_VIEW} WHERE ${rule.offending} ORDER BY row_no LIMIT ${EXAMPLES_SHOWN}`, rule.params);
    if (rows.length > 0) {
      const examples = rows.map((r) => ({ row: r.row_no, problem: { where: r.where_, message: r.message } }));
      broken.push({ rule, examples, rows: rows[0]?.total ?? 0 });
    }
  }
  if (broken.length === 0) return { problems: [], hints: [], counts: [], rows: 0 };
  const offending = broken.map((b) => `(${b.rule.offending})`).join(' OR ');
  // DuckDB refuses a bound value the statement does not use, and the details' values are not used here.
  const params = Object.fromEntries(
    broken.flatMap((b) => Object.entries(b.rule.params ?? {})).filter(([name]) => new RegExp(`\\$${name}\\b`).test(offending)),
  ) as SqlParams;
  const [any] = await db.all<{ n: number }>(`SELECT CAST(count(*) AS DOUBLE) AS n FROM ${STAGED_VIEW} WHERE ${offending}`, params);
  const hints = broken.some((b) => b.rule.rule === SEGMENT_RULE) ? [await segmentsHint(db, options.againstExisting)] : [];
  const shown = roundRobin(broken.map((b) => b.examples), Math.max(1, room - hints.length)).sort((a, b) => a.row - b.row);
  return {
    problems: shown.map((e) => e.problem),
    hints,
    counts: broken.map((b) => ({ rule: b.rule.rule, rows: b.rows })),
    rows: any?.n ?? 0,
  };
}

// Takes the first example of every list, then the second, … until `limit`.
function roundRobin<T>(lists: readonly (readonly T[])[], limit: number): T[] {
  const taken: T[] = [];
  for (let rank = 0; taken.length < limit && lists.some((list) => rank < list.length); rank++) {
    for (const list of lists) if (rank < list.length && taken.length < limit) taken.push(list[rank]!);
  }
  return taken;
}

// The config line that would accept every segment the leads will have after this load.
async function segmentsHint(db: Db, withExisting: boolean): Promise<Problem> {
  const existing = withExisting ? 'UNION SELECT super_segment FROM leads' : '';
  const segments = await db.all<{ s: string }>(
    `SELECT s FROM (SELECT super_segment AS s FROM ${STAGED_VIEW} WHERE super_segment IS NOT NULL ${existing}) ORDER BY s`,
  );
  return {
    where: 'superSegments (config)',
    message: `the leads name super-segments the config does not list: set superSegments in the config file (funnelcast.config.yaml or --config) to your leads' segments with this line:\n      ${superSegmentsLine(segments.map((r) => r.s))}`,
  };
}

/** Moves the checked staged rows into `leads`, typed. Call inside the load's transaction. */
export async function insertStagedLeads(db: Db): Promise<number> {
  return db.run(`
    INSERT INTO leads
    SELECT lead_id, channel_grouping_name, original_source, super_segment, mql, sql, sqo FROM ${STAGED_VIEW}`);
}

/** Drops the staging relations (temp objects would otherwise live until the connection closes). */
export async function dropStaging(db: Db): Promise<void> {
  await db.run(`DROP TABLE IF EXISTS ${STAGED_VIEW}`);
  await db.run(`DROP TABLE IF EXISTS ${STAGING_TABLE}`);
}
