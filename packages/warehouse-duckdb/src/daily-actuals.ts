import { DAILY_ACTUALS, type ActualsWindow } from '@funnelcast/core';
import type { Db } from './connection.js';
import { LEAD_EVENTS_SQL } from './history-sql.js';
import { sqlIdentifier } from './sql-text.js';

const TABLE = sqlIdentifier(DAILY_ACTUALS.name);
const inWindow = (day: string) => `${day} >= CAST($since AS DATE) AND ${day} < CAST($asOf AS DATE)`;

// The same per-day count of the leads' events the history read makes, at the table's grain.
const RECOUNT_SQL = `INSERT INTO ${TABLE} (${DAILY_ACTUALS.columns.map((c) => sqlIdentifier(c.name)).join(', ')})
  SELECT event_date, channel_grouping_name, original_source, super_segment, sum(mqls), sum(sqls), sum(sqos)
  FROM (${LEAD_EVENTS_SQL})
  WHERE ${inWindow('event_date')}
  GROUP BY ALL`;

/** Replaces the window's days of `daily_actuals` with a recount of the leads, in one transaction. */
export async function refreshDailyActuals(db: Db, { since, asOf }: ActualsWindow): Promise<void> {
  await db.transaction(async () => {
    await db.run(`DELETE FROM ${TABLE} WHERE ${inWindow('date_day')}`, { since, asOf });
    await db.run(RECOUNT_SQL, { since, asOf });
  });
}
