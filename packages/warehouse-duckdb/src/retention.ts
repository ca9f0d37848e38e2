import { BACKING_TABLES, FORECAST_RUNS, MODEL_SELECTION, PRODUCTION_FORECAST, SEGMENT_MAPPING, type IsoDate } from '@funnelcast/core';
import type { Db } from './connection.js';
import { PRODUCTION_RUN_SQL } from './ddl.js';
import { sqlIdentifier } from './sql-text.js';

/**
 * Runs past the retention: dated before the cutoff, not running, and not production. Production is read inside the
 * same transaction as the deletes, so a run that became production a moment ago is never taken; `coalesce` keeps the
 * comparison true when nothing is published yet.
 */
const EXPIRED_RUNS_SQL = `SELECT run_id FROM forecast_runs
  WHERE as_of < CAST($cutoff AS DATE) AND status <> 'running' AND run_id <> coalesce((${PRODUCTION_RUN_SQL}), '')`;

const RUN_TABLES = [PRODUCTION_FORECAST, SEGMENT_MAPPING, MODEL_SELECTION].map((view) => BACKING_TABLES[view.name]);

/** Deletes the runs dated before `cutoff` and everything they wrote, in one transaction; never the production run. */
export async function deleteRunsBefore(db: Db, cutoff: IsoDate): Promise<string[]> {
  return db.transaction(async () => {
    const expired = (await db.all<{ run_id: string }>(`${EXPIRED_RUNS_SQL} ORDER BY run_id`, { cutoff })).map((r) => r.run_id);
    if (expired.length === 0) return [];
    for (const table of [...RUN_TABLES, FORECAST_RUNS.name]) {
      await db.run(`DELETE FROM ${sqlIdentifier(table)} WHERE run_id IN (${EXPIRED_RUNS_SQL})`, { cutoff });
    }
    return expired;
  });
}
