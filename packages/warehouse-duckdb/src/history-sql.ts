import {
  fromDayNumber,
  toDayNumber,
  type CombinationSpan,
  type ConversionCohort,
  type DailyCounts,
  type FunnelHistory,
  type HistoryReader,
  type HistoryRequest,
  type IsoDate,
  type MqlAgeCohort,
  type OpenSqls,
  conversionHistory,
} from '@funnelcast/core';
import type { Database, Db } from './connection.js';
import { numberAt, numericStructList, stringAt } from './struct-lists.js';

/**
 * Every funnel event of every lead as one row: the day, the grain, and a 1 in the column of its stage. With `next`,
 * MQL and SQL events also carry `next.of(d)` as `next.as`, `d` being the date of the lead's next stage (its SQL, its
 * SQO; NULL for an SQO, which has none). Filters on `event_date` push down into each branch.
 */
function leadEventsSql(next?: { readonly as: string; readonly of: (date: string) => string }): string {
  const nextOf = (date: string, as = '') => (next ? `, ${next.of(date)}${as}` : '');
  return `
  SELECT mql_date AS event_date, super_segment, channel_grouping_name, original_source,
    1 AS mqls, 0 AS sqls, 0 AS sqos${nextOf('sql_date', ` AS ${next?.as}`)}
  FROM leads
  UNION ALL
  SELECT sql_date, super_segment, channel_grouping_name, original_source, 0, 1, 0${nextOf('sqo_date')}
  FROM leads WHERE sql_date IS NOT NULL
  UNION ALL
  SELECT sqo_date, super_segment, channel_grouping_name, original_source, 0, 0, 1${nextOf('NULL')}
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

// The as-of date's day counts of the plain read: each grain's events per day before it, and the MQLs and SQLs of
// each day that had reached the next stage by then, counted from the leads.
const BY_DAY_SQL = `
    SELECT event_date, super_segment, channel_grouping_name, original_source,
      sum(mqls) AS mqls, sum(sqls) AS sqls, sum(sqos) AS sqos,
      sum(converted * mqls) AS mqls_converted, sum(converted * sqls) AS sqls_converted
    FROM (${leadEventsSql({ as: 'converted', of: (date) => `CASE WHEN ${date} < ${AS_OF} THEN 1 ELSE 0 END` })})
    WHERE event_date < ${AS_OF}
    GROUP BY ALL`;

/**
 * Daily counts, spans, matured cohorts, open SQLs and recent MQLs by age in one query, from `byDay`: each grain's
 * counts per day before the as-of date (`mqls`, `sqls`, `sqos`), and of that day's MQLs and SQLs the ones that had
 * reached the next stage by then (`mqls_converted`, `sqls_converted`). Everything is a per-grain summary of it (a
 * cohort is a run of SQL days, an open SQL one not yet converted, an MQL age one day's MQLs). One row per grain,
 * sorted, its days as a list: only the grain's names travel as text, so reading the result costs little beside the
 * day counts.
 */
const historySql = (byDay: string) => `
  WITH by_day AS (${byDay}
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

/**
 * The leads' events added up by grain and day, for a {@link HistoryReader}'s reads to share: the day's MQLs, SQLs and
 * SQOs, and the dates of the next stage its MQLs (`sql_dates`) and SQLs (`sqo_dates`) reached, whenever that was, from
 * which a read counts the conversions before its own as-of date. As many rows as the plain read's day counts: tens of
 * thousands whatever the lead count, so a read groups nothing but the grains; only the lists grow with the leads.
 */
const EVENT_DAYS_SQL = `
  SELECT event_date, super_segment, channel_grouping_name, original_source,
    CAST(sum(mqls) AS INTEGER) AS mqls, CAST(sum(sqls) AS INTEGER) AS sqls, CAST(sum(sqos) AS INTEGER) AS sqos,
    coalesce(list(next_date) FILTER (mqls = 1 AND next_date IS NOT NULL), []) AS sql_dates,
    coalesce(list(next_date) FILTER (sqls = 1 AND next_date IS NOT NULL), []) AS sqo_dates
  FROM (${leadEventsSql({ as: 'next_date', of: (date) => date })})
  GROUP BY ALL`;

/** {@link BY_DAY_SQL} from the event days in `table`: a filter of its rows and their next-stage dates, no grouping. */
const eventDaysByDaySql = (table: string) => `
    SELECT event_date, super_segment, channel_grouping_name, original_source, mqls, sqls, sqos,
      len(list_filter(sql_dates, lambda d: d < ${AS_OF})) AS mqls_converted,
      len(list_filter(sqo_dates, lambda d: d < ${AS_OF})) AS sqls_converted
    FROM ${table}
    WHERE event_date < ${AS_OF}`;

/**
 * {@link LAGS_SQL} from the event days in `table`: each next-stage date (`dates`) of the days in a stage's window, as
 * {@link lagOf} counts it. The windows end before the as-of date, so their SQLs are all dated before it, as the leads'
 * scan requires.
 */
const eventDaysLagsSql = (table: string) => {
  const lags = (dates: string, window: string) => `
    SELECT '${window}' AS stage, least(date_diff('day', event_date, next_date), CAST($${window}MaxLagDays AS BIGINT) + 1) AS lag
    FROM (
      SELECT event_date, unnest(${dates}) AS next_date FROM ${table}
      WHERE event_date >= CAST($${window}Start AS DATE) AND event_date < CAST($${window}End AS DATE)
    )
    WHERE next_date < ${AS_OF}`;
  return `
  SELECT stage, CAST(lag AS INTEGER) AS lag, CAST(count(*) AS DOUBLE) AS n
  FROM (${lags('sqo_dates', 'sqo')}
    UNION ALL${lags('sql_dates', 'sql')}
  )
  GROUP BY ALL`;
};

/** The two queries of a history read: per-grain summaries ({@link historySql}) and lags ({@link LAGS_SQL}). */
interface HistoryQueries {
  readonly history: string;
  readonly lags: string;
}

const LEADS_QUERIES: HistoryQueries = { history: historySql(BY_DAY_SQL), lags: LAGS_SQL };

/**
 * The aggregated history before `request.asOf`, computed in DuckDB: daily counts, spans, matured cohorts, the
 * SQL→SQO and MQL→SQL lag distributions, the SQLs still open and the recent MQLs by age, in two queries over `leads`;
 * only aggregates return. Arrays come sorted: daily by date then grain, the rest by grain (then by age).
 */
export function readHistory(db: Db, request: HistoryRequest): Promise<FunnelHistory> {
  return readHistoryWith(db, LEADS_QUERIES, request);
}

// TEMP tables belong to the connection, and a warehouse's connection may serve several readers (a worker's
// refreshes): each reader names its own table.
let readers = 0;

/**
 * A {@link HistoryReader} whose first read adds the leads up into event days ({@link EVENT_DAYS_SQL}), a TEMP table
 * that it and every later read query instead of `leads`: about the cost of one plain read, after which each read
 * costs a small fraction of one (ten million leads: ~1.5 s of CPU, then ~0.1 s a read instead of ~1.5 s). The table
 * is the leads as they were at the first read; closing the reader drops it, so a reader opened later never reads
 * leads changed since.
 */
export function historyReader(database: Database): HistoryReader {
  const table = `history_event_days_${++readers}`;
  const queries: HistoryQueries = { history: historySql(eventDaysByDaySql(table)), lags: eventDaysLagsSql(table) };
  let built = false;
  return {
    readHistory: (request) =>
      database.exclusive(async (db) => {
        if (!built) {
          await db.run(`CREATE OR REPLACE TEMP TABLE ${table} AS ${EVENT_DAYS_SQL}`);
          built = true;
        }
        return readHistoryWith(db, queries, request);
      }),
    close: () =>
      database.exclusive(async (db) => {
        if (built) await db.run(`DROP TABLE IF EXISTS ${table}`);
        built = false;
      }),
  };
}

// Column positions of historySql's result.
const [SEGMENT, CHANNEL, SOURCE, FIRST, LAST, DAILY, COHORT_SQLS, COHORT_SQOS, OPEN, MQL_AGES] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];

/** {@link readHistory} by `queries`, the plain read's or a {@link historyReader}'s. */
async function readHistoryWith(db: Db, queries: HistoryQueries, request: HistoryRequest): Promise<FunnelHistory> {
  const { asOf, since, conversion } = request;
  const { cohortStart, cohortEnd, maxLagDays, mqlToSql } = conversion;
  const chunks = await db.chunks(queries.history, { asOf, since, cohortStart, cohortEnd, maxLagDays, mqlLookBackDays: mqlToSql.lookBackDays });
  const lags = await db.all<{ stage: 'sqo' | 'sql'; lag: number; n: number }>(queries.lags, {
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
