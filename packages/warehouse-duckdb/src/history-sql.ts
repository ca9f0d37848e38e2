import type {
  CombinationSpan,
  ConversionCohort,
  DailyCounts,
  FunnelHistory,
  HistoryRequest,
  OpenSqls,
} from '@funnelcast/core';
import type { Db } from './connection.js';

/**
 * Every funnel event of every lead as one row: the day, the grain, and a 1 in the column of its stage. The views
 * and the history queries all count from this one relation; filters on `event_date` push down into each branch.
 */
export const LEAD_EVENTS_SQL = `
  SELECT mql_date AS event_date, super_segment, channel_grouping_name, original_source, 1 AS mqls, 0 AS sqls, 0 AS sqos
  FROM leads
  UNION ALL
  SELECT sql_date, super_segment, channel_grouping_name, original_source, 0, 1, 0 FROM leads WHERE sql_date IS NOT NULL
  UNION ALL
  SELECT sqo_date, super_segment, channel_grouping_name, original_source, 0, 0, 1 FROM leads WHERE sqo_date IS NOT NULL`;

const ISO = (column: string) => `strftime(${column}, '%Y-%m-%d')`;
const GRAIN = 'super_segment AS "superSegment", channel_grouping_name AS channel, original_source AS source';

const DAILY_SQL = `
  SELECT ${ISO('event_date')} AS date, ${GRAIN},
    CAST(sum(mqls) AS DOUBLE) AS mqls, CAST(sum(sqls) AS DOUBLE) AS sqls, CAST(sum(sqos) AS DOUBLE) AS sqos
  FROM (${LEAD_EVENTS_SQL})
  WHERE event_date >= CAST($since AS DATE) AND event_date < CAST($asOf AS DATE)
  GROUP BY ALL ORDER BY 1, 2, 3, 4`;

const SPANS_SQL = `
  SELECT ${GRAIN}, ${ISO('min(event_date)')} AS "firstDate", ${ISO('max(event_date)')} AS "lastDate"
  FROM (${LEAD_EVENTS_SQL})
  WHERE event_date < CAST($asOf AS DATE)
  GROUP BY ALL ORDER BY 1, 2, 3`;

// A cohort's SQOs count only when dated before the as-of date: later ones had not happened yet at T.
const COHORT_FILTER = `sql_date >= CAST($cohortStart AS DATE) AND sql_date < CAST($cohortEnd AS DATE)
  AND sql_date < CAST($asOf AS DATE)`;
const CONVERTED = 'sqo_date < CAST($asOf AS DATE)';

const COHORTS_SQL = `
  SELECT ${GRAIN}, CAST(count(*) AS DOUBLE) AS sqls, CAST(count(*) FILTER (${CONVERTED}) AS DOUBLE) AS sqos
  FROM leads WHERE ${COHORT_FILTER}
  GROUP BY ALL ORDER BY 1, 2, 3`;

const LAGS_SQL = `
  SELECT CAST(date_diff('day', sql_date, sqo_date) AS DOUBLE) AS lag, CAST(count(*) AS DOUBLE) AS n
  FROM leads WHERE ${COHORT_FILTER} AND ${CONVERTED}
    AND date_diff('day', sql_date, sqo_date) <= CAST($maxLagDays AS BIGINT)
  GROUP BY ALL`;

const OPEN_SQLS_SQL = `
  SELECT ${GRAIN}, CAST(date_diff('day', sql_date, CAST($asOf AS DATE)) AS DOUBLE) AS "ageDays",
    CAST(count(*) AS DOUBLE) AS count
  FROM leads
  WHERE sql_date >= CAST($asOf AS DATE) - CAST($maxLagDays AS INTEGER) AND sql_date < CAST($asOf AS DATE)
    AND (sqo_date IS NULL OR sqo_date >= CAST($asOf AS DATE))
  GROUP BY ALL ORDER BY 1, 2, 3, 4`;

/**
 * The aggregated history before `request.asOf`, computed in DuckDB: daily counts, spans, matured cohorts, the
 * SQL→SQO lag distribution and the SQLs still open. Each aggregate is one scan of `leads`; only aggregates return.
 */
export async function readHistory(db: Db, request: HistoryRequest): Promise<FunnelHistory> {
  const { asOf, since, conversion } = request;
  const { cohortStart, cohortEnd, maxLagDays } = conversion;
  const cohortParams = { asOf, cohortStart, cohortEnd };
  const [daily, spans, cohorts, lags, openSqls] = [
    await db.all<DailyCounts>(DAILY_SQL, { asOf, since }),
    await db.all<CombinationSpan>(SPANS_SQL, { asOf }),
    await db.all<ConversionCohort>(COHORTS_SQL, cohortParams),
    await db.all<{ lag: number; n: number }>(LAGS_SQL, { ...cohortParams, maxLagDays }),
    await db.all<OpenSqls>(OPEN_SQLS_SQL, { asOf, maxLagDays }),
  ];
  const lagCounts = Array.from({ length: maxLagDays + 1 }, () => 0);
  for (const { lag, n } of lags) lagCounts[lag] = n;
  return { asOf, daily, spans, conversion: { cohorts, lagCounts, openSqls } };
}
