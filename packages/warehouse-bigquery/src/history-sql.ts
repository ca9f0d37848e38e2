import {
  addDays,
  type CombinationSpan,
  type ConversionCohort,
  type DailyCounts,
  type DataSummary,
  type FunnelHistory,
  type HistoryRequest,
  type IsoDate,
  type MqlAgeCohort,
  type OpenSqls,
  conversionHistory,
} from '@funnelcast/core';
import type { JobRunner, QueryInput } from './job-runner.js';
import { leadChecksSql, throwIfBroken } from './lead-checks.js';
import type { LeadsSource } from './leads-source.js';
import { decodeValue } from './row-values.js';

/**
 * The aggregation queries, run in BigQuery so lead-level rows never leave it. Values travel as typed query
 * parameters (`@as_of` …); the only text spliced in is the leads source's validated, backquoted relation.
 */

const GRAIN = 'super_segment, channel_grouping_name AS channel, original_source AS source';

/**
 * Daily counts in `[@since, @as_of)` per day × grain, days with no event left out, in no order. HAVING names the
 * columns through `events.`: bare, `mqls` would be the select list's `SUM(mqls)` alias, an aggregate of an aggregate
 * to BigQuery.
 */
export const dailyCountsSql = (leads: LeadsSource) => `${leads.with}
SELECT event_date AS day, ${GRAIN}, SUM(mqls) AS mqls, SUM(sqls) AS sqls, SUM(sqos) AS sqos
FROM events
WHERE event_date >= @since AND event_date < @as_of
GROUP BY 1, 2, 3, 4
HAVING SUM(events.mqls) + SUM(events.sqls) + SUM(events.sqos) > 0`;

/** {@link dailyCountsSql} sorted by day and grain. */
export const dailySql = (leads: LeadsSource) => `${dailyCountsSql(leads)}
ORDER BY 1, 2, 3, 4`;

/** First and last event day per grain over all history before `@as_of`. */
export const spansSql = (leads: LeadsSource) => `${leads.with}
SELECT ${GRAIN}, MIN(event_date) AS first_date, MAX(event_date) AS last_date
FROM events
WHERE event_date < @as_of
GROUP BY 1, 2, 3
ORDER BY 1, 2, 3`;

/**
 * Matured SQL cohorts per grain and how many became SQOs before `@as_of`: later ones had not happened yet at the
 * as-of date.
 */
export const cohortsSql = (leads: LeadsSource) => `${leads.with}
SELECT ${GRAIN}, COUNT(*) AS sqls, SUM(CASE WHEN sqo_date < @as_of THEN 1 ELSE 0 END) AS sqos
FROM leads
WHERE sql_date >= @cohort_start AND sql_date < @cohort_end AND sql_date < @as_of
GROUP BY 1, 2, 3
ORDER BY 1, 2, 3`;

/**
 * The lag from a lead's `from` stage to its `to` stage when `from` is dated in a matured cohort window
 * (`@<window>_start` … `@<window>_end`, `@<window>_max_lag_days`) and `to` before `@as_of`; a lag beyond the longest
 * is folded into one more bucket.
 */
const lagOf = (from: string, to: string, window: string) => `CASE
    WHEN ${from} >= @${window}_start AND ${from} < @${window}_end AND ${to} < @as_of
    THEN LEAST(DATE_DIFF(${to}, ${from}, DAY), @${window}_max_lag_days + 1) END`;

/**
 * The SQL→SQO lags (`sqo_lag`) of the matured SQL cohorts and the MQL→SQL lags (`sql_lag`) of the matured MQL
 * cohorts, in one scan, counted by pair (a lag is NULL for a lead outside that stage's window): a few thousand rows
 * at most, and no second pass over the leads. Both need an SQL before `@as_of`.
 */
export const lagsSql = (leads: LeadsSource) => `${leads.with}
SELECT sqo_lag, sql_lag, COUNT(*) AS n
FROM (
  SELECT ${lagOf('sql_date', 'sqo_date', 'sqo')} AS sqo_lag, ${lagOf('mql_date', 'sql_date', 'sql')} AS sql_lag
  FROM leads
  WHERE sql_date < @as_of
)
GROUP BY 1, 2
ORDER BY 1, 2`;

/**
 * Leads whose `from` stage is dated in `[@age_since, @as_of)`, by grain and age, and how many of them reached the
 * `to` stage before `@as_of`: the SQLs still open (SQLs → SQOs) and the MQLs by age (MQLs → SQLs).
 */
export const byAgeSql = (leads: LeadsSource, from: string, to: string) => `${leads.with}
SELECT ${GRAIN}, DATE_DIFF(@as_of, ${from}, DAY) AS age_days, COUNT(*) AS n,
  SUM(CASE WHEN ${to} < @as_of THEN 1 ELSE 0 END) AS reached
FROM leads
WHERE ${from} >= @age_since AND ${from} < @as_of
GROUP BY 1, 2, 3, 4
ORDER BY 1, 2, 3, 4`;

/** Lead count (one MQL per lead), date range and combination count. */
export const summarySql = (leads: LeadsSource) => `${leads.with}
SELECT SUM(mqls) AS leads, MIN(event_date) AS first_date, MAX(event_date) AS last_date,
  (SELECT COUNT(*) FROM (SELECT DISTINCT channel_grouping_name, original_source FROM events)) AS combinations
FROM events`;

/** The super-segments that occur. */
export const segmentsSql = (leads: LeadsSource) => `${leads.with}
SELECT DISTINCT super_segment FROM events ORDER BY 1`;

type Raw = Record<string, unknown>;
const text = (row: Raw, key: string) => String(decodeValue('STRING', row[key]));
const day = (row: Raw, key: string) => String(decodeValue('DATE', row[key]));
const count = (row: Raw, key: string) => Number(decodeValue('INT64', row[key]) ?? 0);
const grain = (row: Raw) => ({ superSegment: text(row, 'super_segment'), channel: text(row, 'channel'), source: text(row, 'source') });

const DATE_PARAMS: ReadonlySet<string> = new Set(['as_of', 'since', 'cohort_start', 'cohort_end', 'sqo_start', 'sqo_end', 'sql_start', 'sql_end', 'age_since', 'today']);

/** A statement and its typed parameters. */
export interface HistoryQuery {
  readonly sql: string;
  readonly input: Required<QueryInput>;
}

const paramType = (name: string) => (DATE_PARAMS.has(name) ? 'DATE' : name === 'super_segments' ? ['STRING'] : 'INT64');

const query = (sql: string, params: Record<string, unknown>): HistoryQuery => ({
  sql,
  input: { params, types: Object.fromEntries(Object.keys(params).map((k) => [k, paramType(k)])) },
});

/** What the lead checks of a history read judge against, beyond the leads themselves. */
export interface LeadCheckContext {
  /** Today's date where the warehouse runs: a stage date after it is refused. */
  readonly today: IsoDate;
  /** The configured super-segments: leads of any other are refused. @defaultValue unchecked */
  readonly superSegments?: readonly string[] | undefined;
}

/**
 * Every query a history read runs, by purpose: the lead checks and conversion queries only for a lead-level
 * source. {@link readHistory} runs them; a dry run of the same list prices a refresh before it runs.
 */
export function historyQueries(leads: LeadsSource, request: HistoryRequest, context: LeadCheckContext) {
  const { asOf, since, conversion } = request;
  const { today, superSegments } = context;
  const { mqlToSql } = conversion;
  return {
    daily: query(dailySql(leads), { as_of: asOf, since }),
    spans: query(spansSql(leads), { as_of: asOf }),
    leadLevel: leads.leadLevel
      ? {
          checks: query(
            leadChecksSql(leads, superSegments !== undefined),
            superSegments === undefined ? { as_of: asOf, today } : { as_of: asOf, today, super_segments: [...superSegments] },
          ),
          cohorts: query(cohortsSql(leads), { as_of: asOf, cohort_start: conversion.cohortStart, cohort_end: conversion.cohortEnd }),
          lags: query(lagsSql(leads), {
            as_of: asOf,
            sqo_start: conversion.cohortStart,
            sqo_end: conversion.cohortEnd,
            sqo_max_lag_days: conversion.maxLagDays,
            sql_start: mqlToSql.cohortStart,
            sql_end: mqlToSql.cohortEnd,
            sql_max_lag_days: mqlToSql.maxLagDays,
          }),
          sqlsByAge: query(byAgeSql(leads, 'sql_date', 'sqo_date'), { as_of: asOf, age_since: addDays(asOf, -conversion.maxLagDays) }),
          mqlsByAge: query(byAgeSql(leads, 'mql_date', 'sql_date'), { as_of: asOf, age_since: addDays(asOf, -mqlToSql.lookBackDays) }),
        }
      : null,
  };
}

/** The queries of {@link historyQueries} as one list. */
export function allHistoryQueries(leads: LeadsSource, request: HistoryRequest, context: LeadCheckContext): HistoryQuery[] {
  const { daily, spans, leadLevel } = historyQueries(leads, request, context);
  return [daily, spans, ...(leadLevel ? Object.values(leadLevel) : [])];
}

/**
 * The aggregated history before `request.asOf`; conversion is `null` for a daily-counts source.
 * @throws InputError when lead-level leads break the leads contract (see lead-checks.ts).
 */
export async function readHistory(
  jobs: JobRunner,
  leads: LeadsSource,
  request: HistoryRequest,
  context: LeadCheckContext,
): Promise<FunnelHistory> {
  const { asOf } = request;
  const queries = historyQueries(leads, request, context);
  const run = (q: HistoryQuery) => jobs.query(q.sql, q.input);
  const lead = queries.leadLevel;
  const [dailyRows, spanRows, leadRows] = await Promise.all([
    run(queries.daily),
    run(queries.spans),
    lead ? Promise.all([run(lead.checks), run(lead.cohorts), run(lead.lags), run(lead.sqlsByAge), run(lead.mqlsByAge)]) : null,
  ]);
  const daily: DailyCounts[] = dailyRows.map((r) => ({
    date: day(r, 'day'),
    ...grain(r),
    mqls: count(r, 'mqls'),
    sqls: count(r, 'sqls'),
    sqos: count(r, 'sqos'),
  }));
  const spans: CombinationSpan[] = spanRows.map((r) => ({ ...grain(r), firstDate: day(r, 'first_date'), lastDate: day(r, 'last_date') }));
  if (!leadRows) return { asOf, daily, spans, conversion: null };
  const [checkRows, cohortRows, lagRows, sqlAgeRows, mqlAgeRows] = leadRows;
  throwIfBroken(checkRows, context.superSegments !== undefined, [...new Set(spans.map((s) => s.superSegment))].sort());
  const cohorts: ConversionCohort[] = cohortRows.map((r) => ({ ...grain(r), sqls: count(r, 'sqls'), sqos: count(r, 'sqos') }));
  const lagsOf = (stage: 'sqo_lag' | 'sql_lag') =>
    lagRows.filter((r) => decodeValue('INT64', r[stage]) !== null).map((r) => [count(r, stage), count(r, 'n')] as const);
  const openSqls: OpenSqls[] = sqlAgeRows
    .map((r) => ({ ...grain(r), ageDays: count(r, 'age_days'), count: count(r, 'n') - count(r, 'reached') }))
    .filter((open) => open.count > 0);
  const mqlsByAge: MqlAgeCohort[] = mqlAgeRows.map((r) => ({ ...grain(r), ageDays: count(r, 'age_days'), mqls: count(r, 'n'), sqls: count(r, 'reached') }));
  const parts = { cohorts, openSqls, mqlsByAge, sqoLags: lagsOf('sqo_lag'), sqlLags: lagsOf('sql_lag') };
  return { asOf, daily, spans, conversion: conversionHistory(parts, request.conversion) };
}

/** What the leads look like, or `null` when there are none. */
export async function describeData(jobs: JobRunner, leads: LeadsSource): Promise<DataSummary | null> {
  const [[summary], segments] = await Promise.all([jobs.query(summarySql(leads)), jobs.query(segmentsSql(leads))]);
  const leadCount = summary ? count(summary, 'leads') : 0;
  if (!summary || leadCount === 0) return null;
  return {
    leads: leadCount,
    firstDate: day(summary, 'first_date'),
    lastDate: day(summary, 'last_date'),
    superSegments: segments.map((r) => text(r, 'super_segment')),
    combinations: count(summary, 'combinations'),
  };
}
