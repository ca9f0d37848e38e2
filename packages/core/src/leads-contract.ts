import type { RelationDeclaration, RowOf } from './columns.js';

/**
 * The leads contract (design.md, "Inputs"), declared once: the columns of a lead and every rule a lead must keep,
 * each with the message a broken row gets. Both warehouses compile the rules to SQL in their dialect (DuckDB checks a
 * file at import, BigQuery checks its leads at every history read); the demo, the conformance fixtures and the docs
 * take their types and tables from here.
 */

const grain = { role: 'dimension', group: 'grain' } as const;
const day = { role: 'dimension', group: 'calendar' } as const;

/** The leads relation: one row per lead, the canonical input. Its DDL comes from the same type tables as every table. */
export const LEADS = {
  name: 'leads',
  kind: 'table',
  description: 'One row per lead: its grain and the day it reached each funnel stage.',
  columns: [
    { name: 'lead_id', type: 'STRING', nullable: false, label: 'Lead ID', description: 'Identifies the lead.', ...grain },
    { name: 'channel_grouping_name', type: 'STRING', nullable: false, label: 'Channel', description: 'Channel grouping.', ...grain },
    { name: 'original_source', type: 'STRING', nullable: false, label: 'Source', description: 'Original source.', ...grain },
    { name: 'super_segment', type: 'STRING', nullable: false, label: 'Super-segment', description: 'Coarse segment.', ...grain },
    { name: 'mql_date', type: 'DATE', nullable: false, label: 'MQL date', description: 'Day the lead became an MQL.', ...day },
    { name: 'sql_date', type: 'DATE', nullable: true, label: 'SQL date', description: 'Day it became an SQL, if it did.', ...day },
    { name: 'sqo_date', type: 'DATE', nullable: true, label: 'SQO date', description: 'Day it became an SQO, if it did.', ...day },
  ],
  primaryKey: ['lead_id'],
} as const satisfies RelationDeclaration;

/** One lead: ISO dates (`YYYY-MM-DD`), `null` for a stage not reached. The demo's and the fixtures' lead type. */
export type LeadRow = RowOf<typeof LEADS>;

/** A column of the leads contract. */
export type LeadColumn = keyof LeadRow;

/** The contract's column names, in order. */
export const LEAD_COLUMNS: readonly LeadColumn[] = LEADS.columns.map((c) => c.name);

/** The stage dates in funnel order, with the stage each records: a later stage needs the earlier one, on or after it. */
export const LEAD_STAGE_DATES = [
  { column: 'mql_date', stage: 'MQL' },
  { column: 'sql_date', stage: 'SQL' },
  { column: 'sqo_date', stage: 'SQO' },
] as const satisfies readonly { readonly column: LeadColumn; readonly stage: string }[];

/**
 * What a rule asserts of a lead, in a form each warehouse compiles to its SQL (an exhaustive table there, so a new
 * kind fails to compile until every warehouse checks it):
 * - `present`: the column is not empty (text empty after trimming counts as empty);
 * - `date`: the text parses as a date (only where leads arrive as text; a DATE column holds nothing else);
 * - `not-after-today`: a stage date is not after today (a typo or a clock error, not a future event);
 * - `not-before`: the column, when set, is not before `earlier`;
 * - `needs`: the column set means `earlier` is set;
 * - `unique`: no two leads share the value;
 * - `new`: the value is not among the leads already loaded (when adding to them);
 * - `configured`: the value is one of the configured super-segments.
 */
export type LeadCheck =
  | { readonly kind: 'present' }
  | { readonly kind: 'date' }
  | { readonly kind: 'not-after-today' }
  | { readonly kind: 'not-before'; readonly earlier: LeadColumn }
  | { readonly kind: 'needs'; readonly earlier: LeadColumn }
  | { readonly kind: 'unique' }
  | { readonly kind: 'new' }
  | { readonly kind: 'configured' };

/** The kinds of {@link LeadCheck}. */
export type LeadCheckKind = LeadCheck['kind'];

/** The check of one kind, for a warehouse's table of how it checks each. */
export type LeadCheckOf<K extends LeadCheckKind> = Extract<LeadCheck, { readonly kind: K }>;

/**
 * When a rule applies: `always`; `text` where leads arrive as text (a file import); `adding` when a load adds to the
 * leads already there; `configured` when the config lists its super-segments.
 */
export type LeadRuleScope = 'always' | 'text' | 'adding' | 'configured';

/** One rule of the contract. */
export interface LeadRule {
  /** The column a broken row is named by. */
  readonly column: LeadColumn;
  /** The rule as a reader sees it; errors count rows per rule under this name. */
  readonly rule: string;
  readonly check: LeadCheck;
  readonly scope: LeadRuleScope;
  /**
   * The message of a row that breaks it, saying what is wrong and how to fix it. `{name}` is a value: a column of the
   * row (`{sql_date}`), `{value}` (the column's text as written), `{today}`, `{allowed}` (the configured
   * super-segments), `{accepted_dates}` (how a date may be written) or `{first_row}` (where a repeated id first is).
   */
  readonly message: string;
}

const required: LeadRule[] = LEADS.columns
  .filter((c) => !c.nullable)
  .map((c): LeadRule => ({ column: c.name, rule: `${c.name} is required`, check: { kind: 'present' }, scope: 'always', message: 'is empty; every lead needs one' }));

const dates: LeadRule[] = LEAD_STAGE_DATES.flatMap(({ column }): LeadRule[] => [
  { column, rule: `${column} must be a date`, check: { kind: 'date' }, scope: 'text', message: '"{value}" is not {accepted_dates}' },
  {
    column,
    rule: `${column} must not be after today`,
    check: { kind: 'not-after-today' },
    scope: 'always',
    message: `{${column}} is after today ({today}): a lead cannot reach a stage in the future`,
  },
]);

const stageOrder: LeadRule[] = LEAD_STAGE_DATES.slice(1).map((later, i) => {
  const earlier = LEAD_STAGE_DATES[i]!;
  return {
    column: later.column,
    rule: `${later.column} must not be before ${earlier.column}`,
    check: { kind: 'not-before', earlier: earlier.column },
    scope: 'always',
    message: `${later.stage} on {${later.column}} is before its ${earlier.stage} on {${earlier.column}}`,
  };
});

/**
 * Every rule of the contract, in the order errors list them. Which apply to a load is {@link leadRulesFor}'s
 * choice.
 */
export const LEAD_RULES: readonly LeadRule[] = [
  ...required,
  ...dates,
  ...stageOrder,
  {
    column: 'sqo_date',
    rule: 'an SQO must have an sql_date',
    check: { kind: 'needs', earlier: 'sql_date' },
    scope: 'always',
    message: 'SQO on {sqo_date} but sql_date is empty: a lead becomes an SQL before an SQO',
  },
  { column: 'lead_id', rule: 'lead_id must be unique', check: { kind: 'unique' }, scope: 'always', message: 'lead_id "{lead_id}" repeats the one on {first_row}' },
  {
    column: 'lead_id',
    rule: 'lead_id must not already be imported',
    check: { kind: 'new' },
    scope: 'adding',
    message:
      'lead_id "{lead_id}" is already in the warehouse (to update the leads already there, import with --upsert; to swap every lead for this file, with --replace)',
  },
  {
    column: 'super_segment',
    rule: 'super_segment must be a configured super-segment',
    check: { kind: 'configured' },
    scope: 'configured',
    message: '"{super_segment}" is not one of: {allowed}',
  },
];

/** The rule a segment outside the config breaks; its error comes with the config line that would accept the leads. */
export const SEGMENT_RULE: LeadRule = LEAD_RULES.find((r) => r.check.kind === 'configured')!;

/** The scopes that hold for one check of the leads. */
export interface LeadRuleContext {
  /** Leads arrive as text (a file), so dates must be parsed. */
  readonly text: boolean;
  /** The load adds to the leads already there (rather than replacing or updating them). */
  readonly adding: boolean;
  /** The config lists its super-segments. */
  readonly configured: boolean;
}

/** The rules that apply in `context`, in {@link LEAD_RULES} order. */
export function leadRulesFor(context: LeadRuleContext): readonly LeadRule[] {
  const holds: Readonly<Record<LeadRuleScope, boolean>> = { always: true, ...context };
  return LEAD_RULES.filter((r) => holds[r.scope]);
}

/** A piece of a rule's message: literal text, or the name of a value to put in. */
export type MessagePart = { readonly text: string } | { readonly value: string };

/** Splits a rule's message into text and `{value}` parts, for a dialect to turn into its string concatenation. */
export function messageParts(message: string): readonly MessagePart[] {
  return message
    .split(/(\{[a-z_]+\})/)
    .filter((part) => part !== '')
    .map((part) => (/^\{[a-z_]+\}$/.test(part) ? { value: part.slice(1, -1) } : { text: part }));
}
