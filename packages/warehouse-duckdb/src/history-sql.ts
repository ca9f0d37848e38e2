import {
  fromDayNumber,
  toDayNumber,
  type CombinationSpan,
  type ConversionCohort,
  type DailyCounts,
  type FunnelHistory,
  type HistoryRequest,
  type IsoDate,
  type OpenSqls,
} from '@funnelcast/core';
import type { Db } from './connection.js';
import { numberAt, numericStructList, stringAt } from './struct-lists.js';

/**
 * Every funnel event of every lead as one row: the day, the grain, and a 1 in the column of its stage. With
 * `convertedBefore` (a SQL date expression), SQL events also carry `converted`: 1 when that lead's SQO is dated
 * before it. Filters on `event_date` push down into each branch.
 */
function leadEventsSql(convertedBefore?: string): string {
  const converted = (value: string) => (convertedBefore ? `, ${value}` : '');
  return `
  SELECT mql_date AS event_date, super_segment, channel_grouping_name, original_source,
    1 AS mqls, 0 AS sqls, 0 AS sqos${converted('0 AS converted')}
  FROM leads
  UNION ALL
  SELECT sql_date, super_segment, channel_grouping_name, original_source, 0, 1, 0${converted(`CASE WHEN sqo_date < ${convertedBefore} THEN 1 ELSE 0 END`)}
  FROM leads WHERE sql_date IS NOT NULL
  UNION ALL
  SELECT sqo_date, super_segment, channel_grouping_name, original_source, 0, 0, 1${converted('0')}
  FROM leads WHERE sqo_date IS NOT NULL`;
}

/** Every funnel event of every lead as one row; the views count from this relation. */
export const LEAD_EVENTS_SQL = leadEventsSql();

const AS_OF = 'CAST($asOf AS DATE)';
const IN_COHORT = `event_date >= CAST($cohortStart AS DATE) AND event_date < CAST($cohortEnd AS DATE)`;
const STILL_OPEN = `event_date >= ${AS_OF} - CAST($maxLagDays AS INTEGER) AND sqls > converted`;

/**
 * Daily counts, spans, matured cohorts and open SQLs in one query, over the same three-branch scan of the leads'
 * events that a plain daily count needs. `by_day` counts each grain's events per day before the as-of date, and the
 * SQLs of each day that had converted by then; everything else is a per-grain summary of it (a cohort is a run of
 * SQL days, an open SQL one not yet converted). One row per grain, sorted, its days as a list: only the grain's
 * names travel as text, so reading the result costs little beside the scan.
 */
const HISTORY_SQL = `
  WITH by_day AS (
    SELECT event_date, super_segment, channel_grouping_name, original_source,
      sum(mqls) AS mqls, sum(sqls) AS sqls, sum(sqos) AS sqos, sum(converted) AS converted
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
    CAST(coalesce(sum(converted) FILTER (${IN_COHORT}), 0) AS DOUBLE) AS cohort_sqos,
    coalesce(list({
      age: CAST(date_diff('day', event_date, ${AS_OF}) AS INTEGER), count: CAST(sqls - converted AS DOUBLE)
    }) FILTER (${STILL_OPEN}), []) AS open_sqls
  FROM by_day
  GROUP BY ALL ORDER BY 1, 2, 3`;

// The lag needs each lead's pair of dates, which the daily counts above no longer have: a second, narrower scan.
// A cohort's SQOs count only when dated before the as-of date: later ones had not happened yet at T.
const LAGS_SQL = `
  SELECT CAST(date_diff('day', sql_date, sqo_date) AS DOUBLE) AS lag, CAST(count(*) AS DOUBLE) AS n
  FROM leads
  WHERE sql_date >= CAST($cohortStart AS DATE) AND sql_date < CAST($cohortEnd AS DATE) AND sql_date < ${AS_OF}
    AND sqo_date < ${AS_OF} AND date_diff('day', sql_date, sqo_date) <= CAST($maxLagDays AS BIGINT)
  GROUP BY ALL`;

// Column positions of HISTORY_SQL's result.
const [SEGMENT, CHANNEL, SOURCE, FIRST, LAST, DAILY, COHORT_SQLS, COHORT_SQOS, OPEN] = [0, 1, 2, 3, 4, 5, 6, 7, 8];

/**
 * The aggregated history before `request.asOf`, computed in DuckDB: daily counts, spans, matured cohorts, the
 * SQL→SQO lag distribution and the SQLs still open, in two queries over `leads`; only aggregates return. Arrays come
 * sorted: daily by date then grain, the rest by grain (open SQLs then by age).
 */
export async function readHistory(db: Db, request: HistoryRequest): Promise<FunnelHistory> {
  const { asOf, since, conversion } = request;
  const { cohortStart, cohortEnd, maxLagDays } = conversion;
  const chunks = await db.chunks(HISTORY_SQL, { asOf, since, cohortStart, cohortEnd, maxLagDays });
  const lags = await db.all<{ lag: number; n: number }>(LAGS_SQL, { asOf, cohortStart, cohortEnd, maxLagDays });

  // Grains arrive sorted; dropping each day's rows into that day's bucket keeps them sorted within the day, so the
  // buckets in order are the daily counts sorted by date, then grain.
  const sinceDay = toDayNumber(since);
  const byDay: DailyCounts[][] = Array.from({ length: Math.max(0, toDayNumber(asOf) - sinceDay) }, () => []);
  // One string per distinct date, shared by every row of that date.
  const dates: IsoDate[] = [];
  const spans: CombinationSpan[] = [];
  const cohorts: ConversionCohort[] = [];
  const openSqls: OpenSqls[] = [];
  for (const chunk of chunks) {
    const column = (index: number) => chunk.getColumnVector(index);
    const daily = numericStructList(column(DAILY), ['day', 'mqls', 'sqls', 'sqos']);
    const { day, mqls, sqls, sqos } = daily.fields;
    const open = numericStructList(column(OPEN), ['age', 'count']);
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
    }
  }
  const lagCounts = Array.from({ length: maxLagDays + 1 }, () => 0);
  for (const { lag, n } of lags) lagCounts[lag] = n;
  const daily: DailyCounts[] = [];
  for (const rows of byDay) for (const row of rows) daily.push(row);
  return { asOf, daily, spans, conversion: { cohorts, lagCounts, openSqls } };
}
