import { addDays, type IsoDate } from '@funnelcast/core';
import { dateLiteral, LONGEST_LAG_DAYS, v31TrainingSql } from './bqml-sql.js';
import type { LeadsSource } from './leads-source.js';

/**
 * What `funnelcast train` trains on, aggregated from the leads in BigQuery: every day of `[since, asOf)`, zero days
 * included (ARIMA_PLUS would interpolate a missing day, the lags would skip it). Dates are literals: CREATE MODEL
 * takes no query parameters.
 */

const lastDay = (asOf: IsoDate) => addDays(asOf, -1);

/** Daily MQLs per Channel × Source with any MQL in the window: the ARIMA_PLUS series. */
export function mqlTrainingSql(leads: LeadsSource, since: IsoDate, asOf: IsoDate): string {
  return `${leads.with},
daily AS (
  SELECT channel_grouping_name, original_source, event_date, SUM(mqls) AS mqls
  FROM events
  WHERE event_date >= ${dateLiteral(since)} AND event_date < ${dateLiteral(asOf)}
  GROUP BY channel_grouping_name, original_source, event_date
),
combinations AS (SELECT DISTINCT channel_grouping_name, original_source FROM daily WHERE mqls > 0)
SELECT c.channel_grouping_name, c.original_source, day AS date_day, CAST(COALESCE(d.mqls, 0) AS FLOAT64) AS mqls
FROM combinations AS c
CROSS JOIN UNNEST(GENERATE_DATE_ARRAY(${dateLiteral(since)}, ${dateLiteral(lastDay(asOf))})) AS day
LEFT JOIN daily AS d
  ON d.channel_grouping_name = c.channel_grouping_name AND d.original_source = c.original_source AND d.event_date = day`;
}

/** Daily SQLs per super-segment, as V3.1 features and label from the day the 28-day lag is full. */
export function sqlTrainingSql(leads: LeadsSource, since: IsoDate, asOf: IsoDate): string {
  const days = `(
  SELECT s.super_segment, day AS date_day, CAST(COALESCE(SUM(e.sqls), 0) AS FLOAT64) AS sqls
  FROM (SELECT DISTINCT super_segment FROM events WHERE event_date >= ${dateLiteral(since)} AND event_date < ${dateLiteral(asOf)}) AS s
  CROSS JOIN UNNEST(GENERATE_DATE_ARRAY(${dateLiteral(since)}, ${dateLiteral(lastDay(asOf))})) AS day
  LEFT JOIN events AS e ON e.super_segment = s.super_segment AND e.event_date = day
  GROUP BY s.super_segment, day
)`;
  return `${leads.with}\n${v31TrainingSql(days, addDays(since, LONGEST_LAG_DAYS))}`;
}
