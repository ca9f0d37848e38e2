import {
  addDays,
  type CombinationSpan,
  type ConversionCohort,
  type DailyCounts,
  type DataSummary,
  type FunnelHistory,
  type HistoryRequest,
  type IsoDate,
  type OpenSqls,
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

/** Daily counts in `[@since, @as_of)` per day × grain, days with no event left out. */
export const dailySql = (leads: LeadsSource) => `${leads.with}
SELECT event_date AS day, ${GRAIN}, SUM(mqls) AS mqls, SUM(sqls) AS sqls, SUM(sqos) AS sqos
FROM events
WHERE event_date >= @since AND event_date < @as_of
GROUP BY 1, 2, 3, 4
HAVING SUM(mqls) + SUM(sqls) + SUM(sqos) > 0
ORDER BY 1, 2, 3, 4`;

/** First and last event day per grain over all history before `@as_of`. */
export const spansSql = (leads: LeadsSource) => `${leads.with}
SELECT ${GRAIN}, MIN(event_date) AS first_date, MAX(event_date) AS last_date
FROM events
WHERE event_date < @as_of
GROUP BY 1, 2, 3
ORDER BY 1, 2, 3`;

// A cohort's SQOs count only when dated before the as-of date: later ones had not happened yet at T.
const COHORT_FILTER = 'sql_date >= @cohort_start AND sql_date < @cohort_end AND sql_date < @as_of';

/** Matured SQL cohorts per grain and how many became SQOs before `@as_of`. */
export const cohortsSql = (leads: LeadsSource) => `${leads.with}
SELECT ${GRAIN}, COUNT(*) AS sqls, SUM(CASE WHEN sqo_date < @as_of THEN 1 ELSE 0 END) AS sqos
FROM leads
WHERE ${COHORT_FILTER}
GROUP BY 1, 2, 3
ORDER BY 1, 2, 3`;

/** The SQL→SQO lag distribution of the matured cohorts, up to `@max_lag_days`. */
export const lagsSql = (leads: LeadsSource) => `${leads.with}
SELECT DATE_DIFF(sqo_date, sql_date, DAY) AS lag, COUNT(*) AS n
FROM leads
WHERE ${COHORT_FILTER} AND sqo_date < @as_of AND DATE_DIFF(sqo_date, sql_date, DAY) <= @max_lag_days
GROUP BY 1
ORDER BY 1`;

/** SQLs dated in `[@open_since, @as_of)` without an SQO before `@as_of`, by age. */
export const openSqlsSql = (leads: LeadsSource) => `${leads.with}
SELECT ${GRAIN}, DATE_DIFF(@as_of, sql_date, DAY) AS age_days, COUNT(*) AS n
FROM leads
WHERE sql_date >= @open_since AND sql_date < @as_of AND (sqo_date IS NULL OR sqo_date >= @as_of)
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

const DATE_PARAMS: ReadonlySet<string> = new Set(['as_of', 'since', 'cohort_start', 'cohort_end', 'open_since', 'today']);

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
  const cohortParams = { as_of: asOf, cohort_start: conversion.cohortStart, cohort_end: conversion.cohortEnd };
  return {
    daily: query(dailySql(leads), { as_of: asOf, since }),
    spans: query(spansSql(leads), { as_of: asOf }),
    leadLevel: leads.leadLevel
      ? {
          checks: query(
            leadChecksSql(leads, superSegments !== undefined),
            superSegments === undefined ? { as_of: asOf, today } : { as_of: asOf, today, super_segments: [...superSegments] },
          ),
          cohorts: query(cohortsSql(leads), cohortParams),
          lags: query(lagsSql(leads), { ...cohortParams, max_lag_days: conversion.maxLagDays }),
          openSqls: query(openSqlsSql(leads), { as_of: asOf, open_since: addDays(asOf, -conversion.maxLagDays) }),
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
    lead ? Promise.all([run(lead.checks), run(lead.cohorts), run(lead.lags), run(lead.openSqls)]) : null,
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
  const [checkRows, cohortRows, lagRows, openRows] = leadRows;
  throwIfBroken(checkRows, context.superSegments !== undefined);
  const cohorts: ConversionCohort[] = cohortRows.map((r) => ({ ...grain(r), sqls: count(r, 'sqls'), sqos: count(r, 'sqos') }));
  const lagCounts = Array.from({ length: request.conversion.maxLagDays + 1 }, () => 0);
  for (const r of lagRows) lagCounts[count(r, 'lag')] = count(r, 'n');
  const openSqls: OpenSqls[] = openRows.map((r) => ({ ...grain(r), ageDays: count(r, 'age_days'), count: count(r, 'n') }));
  return { asOf, daily, spans, conversion: { cohorts, lagCounts, openSqls } };
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
