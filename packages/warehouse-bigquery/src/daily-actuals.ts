import { DAILY_ACTUALS, STAGES, type ActualsWindow } from '@funnelcast/core';
import { relationPath, type DatasetRef } from './ddl.js';
import { dailyCountsSql } from './history-sql.js';
import type { JobRunner } from './job-runner.js';
import type { LeadsSource } from './leads-source.js';
import { columnList, columnName } from './sql-names.js';

/**
 * One MERGE recounts the window into `daily_actuals` from the same daily aggregate the history read runs: a day × grain
 * still counted is updated or inserted, one no longer counted inside the window is deleted, days outside it are kept.
 * A single DML statement is atomic, so the view never sees the window half rewritten.
 */
export function refreshDailyActualsSql(ref: DatasetRef, leads: LeadsSource): string {
  const [date, channel, source, segment] = DAILY_ACTUALS.columns.map((c) => `t.${columnName(c.name)}`);
  const stages = STAGES.map(columnName);
  return `MERGE INTO ${relationPath(ref, DAILY_ACTUALS.name)} AS t
USING (
${dailyCountsSql(leads)}
) AS s
ON ${date} = s.day AND ${channel} = s.channel AND ${source} = s.source AND ${segment} = s.super_segment
WHEN MATCHED THEN UPDATE SET ${stages.map((stage) => `${stage} = s.${stage}`).join(', ')}
WHEN NOT MATCHED BY TARGET THEN INSERT (${columnList(DAILY_ACTUALS.columns)})
  VALUES (s.day, s.channel, s.source, s.super_segment, ${stages.map((stage) => `s.${stage}`).join(', ')})
WHEN NOT MATCHED BY SOURCE AND ${date} >= @since AND ${date} < @as_of THEN DELETE`;
}

/** Recounts `daily_actuals` over the window (one job). */
export async function refreshDailyActuals(jobs: JobRunner, sql: string, { since, asOf }: ActualsWindow): Promise<void> {
  await jobs.query(sql, { params: { since, as_of: asOf }, types: { since: 'DATE', as_of: 'DATE' } });
}
