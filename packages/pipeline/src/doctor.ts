import { ARIMA_PLUS, EnvironmentError, resolveTarget, V31_BQML, type FunnelcastConfig } from '@funnelcast/core';
import type { PreflightCheck } from '@funnelcast/warehouse-bigquery';
import { databaseExists, openDuckDb } from './open-warehouse.js';

/** What `doctor` found for one target. */
export interface DoctorReport {
  readonly target: string;
  readonly warehouse: 'duckdb' | 'bigquery';
  /** Every check passed. */
  readonly ok: boolean;
  readonly checks: readonly PreflightCheck[];
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Checks that a target is ready for refresh (and train), one check per line, writing nothing. BigQuery: credentials,
 * dataset and location, query jobs, permissions, the leads relation and the configured in-warehouse models (see
 * `preflight`). DuckDB: the file exists, is a DuckDB database, holds funnelcast's tables, and has leads loaded.
 * @throws ConfigError when the target is unknown.
 */
export async function doctor(config: FunnelcastConfig, targetName?: string): Promise<DoctorReport> {
  const { name, target } = resolveTarget(config, targetName);
  if (target.type === 'bigquery') {
    const { preflight } = await import('@funnelcast/warehouse-bigquery');
    const models = [...(config.models.mqls === ARIMA_PLUS ? (['mqls'] as const) : []), ...(config.models.sqls === V31_BQML ? (['sqls'] as const) : [])];
    const checks = await preflight(target, { models, targetName: name });
    return { target: name, warehouse: 'bigquery', ok: checks.every((c) => c.ok), checks };
  }
  const checks = await duckDbChecks(config, target.path);
  return { target: name, warehouse: 'duckdb', ok: checks.every((c) => c.ok), checks };
}

async function duckDbChecks(config: FunnelcastConfig, path: string): Promise<PreflightCheck[]> {
  if (!(await databaseExists(path))) {
    return [{ check: 'file', ok: false, message: `no database at ${path}: \`funnelcast import <leads file>\` or \`funnelcast demo\` creates it (check --db / the target's path for a typo)` }];
  }
  const checks: PreflightCheck[] = [{ check: 'file', ok: true, message: `ok: ${path} exists` }];
  let warehouse: Awaited<ReturnType<typeof openDuckDb>> | undefined;
  try {
    let runs: number;
    try {
      warehouse = await openDuckDb(config, path, 'existing');
      runs = (await warehouse.listRuns(1)).length;
    } catch (error) {
      // Not a DuckDB file (or one this machine may not open) fails the same way for every read: stop here.
      if (error instanceof EnvironmentError) return [...checks, { check: 'database', ok: false, message: error.message }];
      return [...checks, { check: 'database', ok: true, message: 'ok: a DuckDB database' }, { check: 'schema', ok: false, message: `funnelcast's tables are missing (${message(error)}): \`funnelcast import\` or \`funnelcast refresh\` creates them` }];
    }
    checks.push({ check: 'database', ok: true, message: 'ok: a DuckDB database' });
    checks.push({ check: 'schema', ok: true, message: `ok: funnelcast's tables are there${runs === 0 ? ' (no run yet)' : ''}` });
    const data = await warehouse.describeData();
    checks.push(
      data === null
        ? { check: 'leads', ok: false, message: 'no leads loaded: `funnelcast import <leads file>` loads them' }
        : { check: 'leads', ok: true, message: `ok: ${data.leads.toLocaleString('en-US')} lead${data.leads === 1 ? '' : 's'} from ${data.firstDate} to ${data.lastDate}` },
    );
    return checks;
  } finally {
    await warehouse?.close();
  }
}
