import {
  LEAD_STAGE_DATES,
  leadRulesFor,
  messageParts,
  SEGMENT_RULE,
  superSegmentsLine,
  type IsoDate,
  type LeadCheck,
  type LeadCheckKind,
  type LeadCheckOf,
  type LeadColumn,
  type LeadRule,
  type Problem,
  type RuleCount,
} from '@funnelcast/core';
import type { Db, SqlParams } from './connection.js';
import { sqlIdentifier, sqlString } from './sql-text.js';

/**
 * core's leads contract compiled to DuckDB SQL, for the two ways a load is checked. A bulk load (into an empty table,
 * or replacing it) is written straight into `leads` from one read of its source and checked where it landed with one
 * aggregate ({@link leadsKeepContract}); any broken rule rolls it back. Other loads, and a bulk load that was rolled
 * back, read their source once into {@link STAGED_TABLE} (keys trimmed, dates typed, the text of a date kept only
 * where it does not parse), count every rule's broken rows in one aggregate scan, and only when a rule is broken look
 * for the rows to show ({@link checkStagedLeads}).
 */

/** The typed rows of one load, checked before they reach `leads`; `rowid + 1` is the source's data-row number. */
export const STAGED_TABLE = 'leads_staged';
// Only built when a rule is broken: the staged rows with where each lead id first appears, for the examples.
const CHECKED_TABLE = 'leads_checked';

const DATE_COLUMNS: readonly LeadColumn[] = LEAD_STAGE_DATES.map((d) => d.column);
const isDate = (column: LeadColumn) => DATE_COLUMNS.includes(column);
/** The staged column holding a date's text when it does not parse (NULL when it does or is empty). */
const unparsedColumn = (column: LeadColumn) => `${column}_unparsed`;

/** A column of the source a load reads, with DuckDB's type for it. */
export interface SourceColumn {
  readonly name: LeadColumn;
  readonly type: string;
}

// ISO, optionally followed by a time (`2026-10-01 00:00:00`, `2026-10-01T00:00:00Z`): the date as written is kept.
const ISO_DAY = String.raw`\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?)?`;
function parsedDate(text: string, dateFormat: string | undefined): string {
  const iso = `CASE WHEN regexp_full_match(${text}, '${ISO_DAY}') THEN TRY_CAST(left(${text}, 10) AS DATE) END`;
  return dateFormat ? `coalesce(${iso}, CAST(try_strptime(${text}, ${sqlString(dateFormat)}) AS DATE))` : iso;
}

/**
 * The SELECT list that turns a source's columns into {@link STAGED_TABLE}'s, in one pass: text trimmed (empty is
 * NULL); a date column that is already DATE (Parquet) kept, a TIMESTAMP cut to its day, text parsed.
 */
export function stagedColumns(source: readonly SourceColumn[], dateFormat: string | undefined): string {
  return source
    .flatMap(({ name, type }) => {
      const date = dateOf(name, type, dateFormat);
      if (!date) return [`${textOf(name)} AS ${sqlIdentifier(name)}`];
      const unparsed = date.text ? `CASE WHEN ${date.parsed} IS NULL THEN ${date.text} END` : 'NULL::VARCHAR';
      return [`${date.parsed} AS ${sqlIdentifier(name)}`, `${unparsed} AS ${unparsedColumn(name)}`];
    })
    .join(', ');
}

/**
 * The SELECT list that turns a source's columns into `leads`' for a bulk load written straight into it: the values
 * {@link stagedColumns} gives, except that a date that does not parse fails the statement (the load then goes the
 * staged way, which names the row).
 */
export function typedColumns(source: readonly SourceColumn[], dateFormat: string | undefined): string {
  return source
    .map(({ name, type }) => {
      const date = dateOf(name, type, dateFormat);
      if (!date) return `${textOf(name)} AS ${sqlIdentifier(name)}`;
      const checked = date.text ? `coalesce(${date.parsed}, CASE WHEN ${date.text} IS NOT NULL THEN error('unparsed date') END)` : date.parsed;
      return `${checked} AS ${sqlIdentifier(name)}`;
    })
    .join(', ');
}

// Text trimmed of spaces, NULL when empty. DuckDB's trim removes spaces only, so a value without one at either end
// is its own trim: testing the ends first spares building a new string per cell (a third of a CSV read's time).
function textOf(name: LeadColumn): string {
  const text = `CAST(${sqlIdentifier(name)} AS VARCHAR)`;
  return `NULLIF(CASE WHEN starts_with(${text}, ' ') OR ends_with(${text}, ' ') THEN trim(${text}) ELSE ${text} END, '')`;
}

// A date column's DATE, and its text when it is parsed from text (nothing to report for a DATE or a TIMESTAMP).
function dateOf(name: LeadColumn, type: string, dateFormat: string | undefined): { parsed: string; text?: string } | undefined {
  if (!isDate(name)) return undefined;
  const id = sqlIdentifier(name);
  if (type === 'DATE') return { parsed: id };
  if (type.startsWith('TIMESTAMP')) return { parsed: `CAST(${id} AS DATE)` };
  const text = textOf(name);
  return { parsed: parsedDate(text, dateFormat), text };
}

/**
 * How a load treats the leads already there: `append` adds leads with new ids, `replace` swaps every lead for the
 * load's, `upsert` adds new ids and overwrites the leads whose id it repeats.
 */
export type LoadMode = 'append' | 'replace' | 'upsert';

/** What the rules depend on beyond the rows themselves. */
export interface LeadRuleOptions {
  /** Segments the SQL model knows; a lead in another one is refused. Unchecked when absent. */
  readonly superSegments?: readonly string[] | undefined;
  /** How the load treats the leads already there: an append refuses their ids, a replace forgets them. */
  readonly mode: LoadMode;
  /** Today's date: a stage date after it is refused (a typo or a clock error, not a future event). */
  readonly today: IsoDate;
  /** A strptime format (`%d/%m/%Y`) dates may be written in besides ISO; the `--date-format` of import. */
  readonly dateFormat?: string | undefined;
}

/** Where a staged row came from, to name it in problems. */
export interface StagedSource {
  /** The file name or `rows`. */
  readonly name: string;
  /** SQL text turning the 1-based data-row number `row` into a location, e.g. `'leads.csv line ' || (row + 1)`. */
  readonly locate: (row: string) => string;
}

/** A rule compiled: `offending` selects the rows that break it; `broken` counts them in an aggregate. */
interface CompiledRule {
  readonly rule: LeadRule;
  readonly offending: string;
  readonly broken: string;
}

/** The rows a check reads: the staged ones (dates with their unparsed text, `row_no`) or `leads` itself. */
type Checked = 'staged' | 'typed';

// A date column is given when it holds a date or, staged, text that is not one (the date rule reports that text).
const given = (c: LeadColumn, rows: Checked) =>
  rows === 'staged' && isDate(c) ? `(${c} IS NOT NULL OR ${unparsedColumn(c)} IS NOT NULL)` : `${c} IS NOT NULL`;
const countWhere = (offending: string) => `count(*) FILTER (WHERE ${offending})`;

type Offending<K extends LeadCheckKind> = (column: LeadColumn, check: LeadCheckOf<K>, rows: Checked, segments: number) => string;

// Each kind of check in DuckDB's SQL; `$today` and `$segment_i` are bound, never SQL text.
const OFFENDING: { readonly [K in LeadCheckKind]: Offending<K> } = {
  present: (column, _, rows) => `NOT ${given(column, rows)}`,
  date: (column) => `${unparsedColumn(column)} IS NOT NULL`,
  'not-after-today': (column) => `${column} > $today`,
  'not-before': (column, { earlier }) => `${column} < ${earlier}`,
  needs: (column, { earlier }, rows) => `${given(column, rows)} AND NOT ${given(earlier, rows)}`,
  unique: (column) => `${column} IS NOT NULL AND row_no > first_row_of_id`,
  new: (column) => `${column} IN (SELECT ${column} FROM leads)`,
  configured: (column, _, __, segments) =>
    `${column} IS NOT NULL AND ${column} NOT IN (${Array.from({ length: segments }, (_, i) => `$segment_${i}`).join(', ') || 'NULL'})`,
};

function compile(rule: LeadRule, rows: Checked, segments: number): CompiledRule {
  // TypeScript cannot pair the table's entry with the check's kind by itself.
  const offending = (OFFENDING[rule.check.kind] as Offending<LeadCheckKind>)(rule.column, rule.check as never, rows, segments);
  // Counting repeats needs no window: every repeated id adds its count beyond the first.
  const broken = rule.check.kind === 'unique' ? `count(${rule.column}) - count(DISTINCT ${rule.column})` : countWhere(offending);
  return { rule, offending, broken };
}

// The rules of a load and the values they bind, compiled for `rows`.
function compiledRules(options: LeadRuleOptions, rows: Checked): { rules: CompiledRule[]; bound: SqlParams } {
  const segments = options.superSegments;
  const rules = leadRulesFor({ text: rows === 'staged', adding: options.mode === 'append', configured: segments !== undefined })
    .map((r) => compile(r, rows, segments?.length ?? 0));
  const bound: SqlParams = { today: options.today, ...Object.fromEntries((segments ?? []).map((s, i) => [`segment_${i}`, s])) };
  return { rules, bound };
}

// One scan of `table` counting the rows that break each rule.
async function brokenCounts(db: Db, table: string, rules: readonly CompiledRule[], bound: SqlParams): Promise<number[]> {
  const [counts] = await db.all<Record<string, number>>(
    `SELECT ${rules.map((r, i) => `CAST(${r.broken} AS DOUBLE) AS rule_${i}`).join(', ')} FROM ${table}`,
    used(bound, rules.map((r) => r.broken).join(' ')),
  );
  return rules.map((_, i) => counts?.[`rule_${i}`] ?? 0);
}

/**
 * Whether every lead in `leads` keeps the rules a bulk load leaves to a check after writing (NOT NULL and the date
 * parsing of {@link typedColumns} enforce the others as it writes), in one scan. Only for a load that replaced the
 * table or filled an empty one: `leads` then holds exactly the load's rows.
 */
export async function leadsKeepContract(db: Db, options: Omit<LeadRuleOptions, 'mode'>): Promise<boolean> {
  const { rules, bound } = compiledRules({ ...options, mode: 'replace' }, 'typed');
  const afterWriting = rules.filter((r) => r.rule.check.kind !== 'present');
  return (await brokenCounts(db, 'leads', afterWriting, bound)).every((n) => n === 0);
}

const acceptedDates = (dateFormat: string | undefined) =>
  dateFormat
    ? `a date written YYYY-MM-DD or as --date-format ${dateFormat}`
    : `a date written YYYY-MM-DD (a time after it is fine; for another format pass --date-format, e.g. '%d/%m/%Y')`;

// A rule's message as DuckDB string concatenation over the row it names.
function messageSql(rule: LeadRule, options: LeadRuleOptions): string {
  const values: Readonly<Record<string, string>> = {
    value: isDate(rule.column) ? unparsedColumn(rule.column) : rule.column,
    today: sqlString(options.today),
    accepted_dates: sqlString(acceptedDates(options.dateFormat)),
    allowed: '$allowed',
    first_row: 'first_row_label',
  };
  return messageParts(rule.message)
    .map((part) => ('text' in part ? sqlString(part.text) : `CAST(${values[part.value] ?? part.value} AS VARCHAR)`))
    .join(' || ');
}

/** Example problems an import lists in all; the count per rule always covers every row. */
export const EXAMPLES_SHOWN = 20;

/** What the rules found: examples to show, how many rows broke each rule, and how many rows broke any. */
export interface LeadFindings {
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
 * Checks every staged row against the leads contract: one aggregate scan counts each rule's broken rows, and only
 * the broken rules are then searched for examples, taken from every broken rule in turn so one rule broken 500 times
 * does not hide another broken once. `room` is how many lines the hints and examples may take together.
 */
export async function checkStagedLeads(db: Db, source: StagedSource, options: LeadRuleOptions, room = EXAMPLES_SHOWN): Promise<LeadFindings> {
  const { rules, bound } = compiledRules(options, 'staged');
  const counts = await brokenCounts(db, STAGED_TABLE, rules, bound);
  const broken = rules.map((compiled, i) => ({ compiled, rows: counts[i] ?? 0 })).filter((b) => b.rows > 0);
  if (broken.length === 0) return { problems: [], hints: [], counts: [], rows: 0 };

  await db.run(`
    CREATE OR REPLACE TEMP TABLE ${CHECKED_TABLE} AS
    WITH t AS (SELECT rowid + 1 AS row_no, * FROM ${STAGED_TABLE})
    SELECT *, min(row_no) OVER (PARTITION BY lead_id) AS first_row_of_id, ${source.locate('first_row_of_id')} AS first_row_label FROM t`);
  const withMessages: SqlParams = { ...bound, ...(options.superSegments ? { allowed: options.superSegments.join(', ') } : {}) };
  const examples = [];
  for (const { compiled } of broken) {
    const sql = `
      SELECT CAST(row_no AS DOUBLE) AS row_no, ${source.locate('row_no')} || ${sqlString(` column ${compiled.rule.column}`)} AS where_,
             ${messageSql(compiled.rule, options)} AS message
      FROM ${CHECKED_TABLE} WHERE ${compiled.offending} ORDER BY row_no LIMIT ${EXAMPLES_SHOWN}`;
    const rows = await db.all<{ row_no: number; where_: string; message: string }>(sql, used(withMessages, sql));
    examples.push(rows.map((r) => ({ row: r.row_no, problem: { where: r.where_, message: r.message } })));
  }
  const anyRule = broken.map((b) => `(${b.compiled.offending})`).join(' OR ');
  const [any] = await db.all<{ n: number }>(`SELECT CAST(count(*) AS DOUBLE) AS n FROM ${CHECKED_TABLE} WHERE ${anyRule}`, used(bound, anyRule));
  const hints = broken.some((b) => b.compiled.rule === SEGMENT_RULE) ? [await segmentsHint(db, options.mode !== 'replace')] : [];
  const shown = roundRobin(examples, Math.max(1, room - hints.length)).sort((a, b) => a.row - b.row);
  return {
    problems: shown.map((e) => e.problem),
    hints,
    counts: broken.map((b) => ({ rule: b.compiled.rule.rule, rows: b.rows })),
    rows: any?.n ?? 0,
  };
}

// DuckDB refuses a bound value the statement does not use: keep those `sql` names.
function used(params: SqlParams, sql: string): SqlParams {
  return Object.fromEntries(Object.entries(params).filter(([name]) => new RegExp(`\\$${name}\\b`).test(sql)));
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
    `SELECT s FROM (SELECT super_segment AS s FROM ${STAGED_TABLE} WHERE super_segment IS NOT NULL ${existing}) ORDER BY s`,
  );
  return {
    where: 'superSegments (config)',
    message: `the leads name super-segments the config does not list: set superSegments in the config file (funnelcast.config.yaml or --config) to your leads' segments with this line:\n      ${superSegmentsLine(segments.map((r) => r.s))}`,
  };
}

/** Drops the staging relations (temp objects would otherwise live until the connection closes). */
export async function dropStaging(db: Db): Promise<void> {
  await db.run(`DROP TABLE IF EXISTS ${CHECKED_TABLE}`);
  await db.run(`DROP TABLE IF EXISTS ${STAGED_TABLE}`);
}
