import {
  fromDayNumber,
  toDayNumber,
  type CombinationSpan,
  type ConversionCohort,
  type DailyCounts,
  type FunnelHistory,
  type HistoryRequest,
  type IsoDate,
  type MqlAgeCohort,
  type OpenSqls,
  conversionHistory,
} from '@funnelcast/core';
import type { Db } from './connection.js';
import { numberAt, numericStructList, stringAt } from './struct-lists.js';

/**
 * Every funnel event of every lead as one row: the day, the grain, and a 1 in the column of its stage. With
 * `convertedBefore` (a SQL date expression), MQL and SQL events also carry `converted`: 1 when that lead reached the
 * next stage (its SQL, its SQO) dated before it. Filters on `event_date` push down into each branch.
 */
function leadEventsSql(convertedBefore?: string): string {
  // The SQO branch has no next stage; its `converted` is 0.
  const reached = (date: string, as = '') => (convertedBefore ? `, CASE WHEN ${date} < ${convertedBefore} THEN 1 ELSE 0 END${as}` : '');
  return `
  SELECT mql_date AS event_date, super_segment, channel_grouping_name, original_source,
    1 AS mqls, 0 AS sqls, 0 AS sqos${reached('sql_date', ' AS converted')}
  FROM leads
  UNION ALL
  SELECT sql_date, super_segment, channel_grouping_name, original_source, 0, 1, 0${reached('sqo_date')}
  FROM leads WHERE sql_date IS NOT NULL
  UNION ALL
  SELECT sqo_date, super_segment, channel_grouping_name, original_source, 0, 0, 1${convertedBefore ? ', 0' : ''}
  FROM leads WHERE sqo_date IS NOT NULL`;
}

/** Every funnel event of every lead as one row; the views count from this relation. */
export const LEAD_EVENTS_SQL = leadEventsSql();

const AS_OF = 'CAST($asOf AS DATE)';
const IN_COHORT = `event_date >= CAST($cohortStart AS DATE) AND event_date < CAST($cohortEnd AS DATE)`;

/** A grain's days within `days` of the as-of date that pass `keep`, as a list of `{age, …fields}`. */
const byAge = (days: string, fields: string, keep: string) => `coalesce(list({
      age: CAST(date_diff('day', event_date, ${AS_OF}) AS INTEGER), ${fields}
    }) FILTER (event_date >= ${AS_OF} - CAST(${days} AS INTEGER) AND ${keep}), [])`;

/**
 * Daily counts, spans, matured cohorts, open SQLs and recent MQLs by age in one query, over the same three-branch
 * scan of the leads' events that a plain daily count needs. `by_day` counts each grain's events per day before the
 * as-of date, and the MQLs and SQLs of each day that had reached the next stage by then; everything else is a
 * per-grain summary of it (a cohort is a run of SQL days, an open SQL one not yet converted, an MQL age one day's
 * MQLs). One row per grain, sorted, its days as a list: only the grain's names travel as text, so reading the
 * result costs little beside the scan.
 */
const HISTORY_SQL = `
  WITH by_day AS (
    SELECT event_date, super_segment, channel_grouping_name, original_source,
      sum(mqls) AS mqls, sum(sqls) AS sqls, sum(sqos) AS sqos,
      sum(converted * mqls) AS mqls_converted, sum(converted * sqls) AS sqls_converted
    FROM (${leadEventsSql(AS_OF)})
    WHERE event_date < ${AS_OF}
    GROUP BY ALL
  )
  SELECT super_segment, channel_grouping_name, original_source,
    strftime(min(event_date), '%Y-%m-%d') AS first_date, strftime(max(event_date), '%Y-%m-%d') AS last_date,
    coalesce(list({
      day: CAST(date_diff('day', DATE '1970-01-01', event_date) AS INTEGER),
      mqls: CAST(mqls AS DOUBLE), sqls: CAST(sqls AS DOUBLE), sqos: CAST(sqos AS DOUBLE)
    }) FILTER (event_date >= CAST($since AS DATE)), []) AS daily,
    CAST(coalesce(sum(sqls) FILTER (${IN_COHORT}), 0) AS DOUBLE) AS cohort_sqls,
    CAST(coalesce(sum(sqls_converted) FILTER (${IN_COHORT}), 0) AS DOUBLE) AS cohort_sqos,
    ${byAge('$maxLagDays', 'count: CAST(sqls - sqls_converted AS DOUBLE)', 'sqls > sqls_converted')} AS open_sqls,
    ${byAge('$mqlLookBackDays', 'mqls: CAST(mqls AS DOUBLE), sqls: CAST(mqls_converted AS DOUBLE)', 'mqls > 0')} AS mql_ages
  FROM by_day
  GROUP BY ALL ORDER BY 1, 2, 3`;

/**
 * The lag from a lead's `from` stage to its `to` stage when `from` is dated in a matured cohort window (`$<window>Start`
 * … `$<window>End`, `$<window>MaxLagDays`) and `to` before the as-of date; a lag beyond the longest is folded into
 * one more bucket. A cohort's conversions count only when dated before the as-of date: later ones had not happened
 * yet at T.
 */
const lagOf = (from: string, to: string, window: string) => `CASE
      WHEN ${from} >= CAST($${window}Start AS DATE) AND ${from} < CAST($${window}End AS DATE) AND ${to} < ${AS_OF}
      THEN least(date_diff('day', ${from}, ${to}), CAST($${window}MaxLagDays AS BIGINT) + 1) END`;

// The lags need each lead's pair of dates, which the daily counts above no longer have: a second, narrower scan, one
// for both stages (UNPIVOT drops the leads outside a stage's window, whose lag is NULL). Both stages need an SQL
// before the as-of date, which prunes the scan.
const LAGS_SQL = `
  SELECT stage, CAST(lag AS INTEGER) AS lag, CAST(count(*) AS DOUBLE) AS n
  FROM (
    SELECT ${lagOf('sql_date', 'sqo_date', 'sqo')} AS sqo, ${lagOf('mql_date', 'sql_date', 'sql')} AS sql
    FROM leads
    WHERE sql_date < ${AS_OF}
  ) UNPIVOT (lag FOR stage IN (sqo, sql))
  GROUP BY ALL`;

// Column positions of HISTORY_SQL's result.
const [SEGMENT, CHANNEL, SOURCE, FIRST, LAST, DAILY, COHORT_SQLS, COHORT_SQOS, OPEN, MQL_AGES] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];

/**
 * The aggregated history before `request.asOf`, computed in DuckDB: daily counts, spans, matured cohorts, the
 * SQL→SQO and MQL→SQL lag distributions, the SQLs still open and the recent MQLs by age, in two queries over `leads`;
 * only aggregates return. Arrays come sorted: daily by date then grain, the rest by grain (then by age).
 */
export async function readHistory(db: Db, request: HistoryRequest): Promise<FunnelHistory> {
  const { asOf, since, conversion } = request;
  const { cohortStart, cohortEnd, maxLagDays, mqlToSql } = conversion;
  const chunks = await db.chunks(HISTORY_SQL, { asOf, since, cohortStart, cohortEnd, maxLagDays, mqlLookBackDays: mqlToSql.lookBackDays });
  const lags = await db.all<{ stage: 'sqo' | 'sql'; lag: number; n: number }>(LAGS_SQL, {
    asOf,
    sqoStart: cohortStart,
    sqoEnd: cohortEnd,
    sqoMaxLagDays: maxLagDays,
    sqlStart: mqlToSql.cohortStart,
    sqlEnd: mqlToSql.cohortEnd,
    sqlMaxLagDays: mqlToSql.maxLagDays,
  });

  // Grains arrive sorted; dropping each day's rows into that day's bucket keeps them sorted within the day, so the
  // buckets in order are the daily counts sorted by date, then grain.
  const sinceDay = toDayNumber(since);
  const byDay: DailyCounts[][] = Array.from({ length: Math.max(0, toDayNumber(asOf) - sinceDay) }, () => []);
  // One string per distinct date, shared by every row of that date.
  const dates: IsoDate[] = [];
  const spans: CombinationSpan[] = [];
  const cohorts: ConversionCohort[] = [];
  const openSqls: OpenSqls[] = [];
  const mqlsByAge: MqlAgeCohort[] = [];
  for (const chunk of chunks) {
    const column = (index: number) => chunk.getColumnVector(index);
    const daily = numericStructList(column(DAILY), ['day', 'mqls', 'sqls', 'sqos']);
    const { day, mqls, sqls, sqos } = daily.fields;
    const open = numericStructList(column(OPEN), ['age', 'count']);
    const mqlAges = numericStructList(column(MQL_AGES), ['age', 'mqls', 'sqls']);
    for (let row = 0; row < chunk.rowCount; row++) {
      const superSegment = stringAt(column(SEGMENT), row);
      const channel = stringAt(column(CHANNEL), row);
      const source = stringAt(column(SOURCE), row);
      spans.push({ superSegment, channel, source, firstDate: stringAt(column(FIRST), row), lastDate: stringAt(column(LAST), row) });
      for (let i = daily.start(row), end = daily.end(row); i < end; i++) {
        const index = day[i]! - sinceDay;
        const date = (dates[index] ??= fromDayNumber(day[i]!));
        byDay[index]!.push({ date, superSegment, channel, source, mqls: mqls[i]!, sqls: sqls[i]!, sqos: sqos[i]! });
      }
      const cohortSqls = numberAt(column(COHORT_SQLS), row);
      if (cohortSqls > 0) cohorts.push({ superSegment, channel, source, sqls: cohortSqls, sqos: numberAt(column(COHORT_SQOS), row) });
      const ages: OpenSqls[] = [];
      for (let i = open.start(row), end = open.end(row); i < end; i++) {
        ages.push({ superSegment, channel, source, ageDays: open.fields.age[i]!, count: open.fields.count[i]! });
      }
      openSqls.push(...ages.sort((a, b) => a.ageDays - b.ageDays));
      const recent: MqlAgeCohort[] = [];
      for (let i = mqlAges.start(row), end = mqlAges.end(row); i < end; i++) {
        recent.push({ superSegment, channel, source, ageDays: mqlAges.fields.age[i]!, mqls: mqlAges.fields.mqls[i]!, sqls: mqlAges.fields.sqls[i]! });
      }
      mqlsByAge.push(...recent.sort((a, b) => a.ageDays - b.ageDays));
    }
  }
  const lagsOf = (stage: 'sqo' | 'sql') => lags.filter((row) => row.stage === stage).map((row) => [row.lag, row.n] as const);
  const daily: DailyCounts[] = [];
  for (const rows of byDay) for (const row of rows) daily.push(row);
  const parts = { cohorts, openSqls, mqlsByAge, sqoLags: lagsOf('sqo'), sqlLags: lagsOf('sql') };
  return { asOf, daily, spans, conversion: conversionHistory(parts, conversion) };
}
