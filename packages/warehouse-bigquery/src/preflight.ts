import type { BigQuery } from '@google-cloud/bigquery';
import { ConfigError, FORECAST_RUNS, FunnelcastError, LEADS, type ColumnType } from '@funnelcast/core';
import { bigQueryClient } from './bigquery-client.js';
import { BIGQUERY_TYPES } from './ddl.js';
import { environmentFault, type FaultOrigin } from './job-errors.js';
import type { BigQueryWarehouseOptions } from './bigquery-warehouse.js';
import { createJobRunner } from './job-runner.js';
import type { BigQueryTarget } from './leads-source.js';
import { latestTrainedVersion } from './model-registry.js';
import { configuredTablePath } from './sql-names.js';

/** One preflight check: what was checked, whether it passed, and what was found or what to do. */
export interface PreflightCheck {
  readonly check: string;
  readonly ok: boolean;
  readonly message: string;
}

/** Options of {@link preflight}. */
export interface PreflightOptions {
  /** Credentials to use instead of the target's key file or ADC (tests). @defaultValue the target's */
  readonly authClient?: BigQueryWarehouseOptions['authClient'];
  /**
   * The stages whose configured BigQuery model a refresh reads (`mqls`: arima-plus, `sqls`: v3.1-bqml): the latest
   * version `funnelcast train` recorded must exist (V3.1 falls back to `sqlModelName` itself, the seed's model).
   * @defaultValue none
   */
  readonly models?: readonly ('mqls' | 'sqls')[];
  /** The target's name in the config, which trained models carry. @defaultValue `bigquery` */
  readonly targetName?: string;
}

/** What refresh and train need on funnelcast's own tables (read, write, add columns) and on the leads. */
export const TABLE_PERMISSIONS = ['bigquery.tables.get', 'bigquery.tables.getData', 'bigquery.tables.updateData', 'bigquery.tables.update'] as const;
export const LEADS_PERMISSIONS = ['bigquery.tables.getData'] as const;

// tables.get reports legacy type names where they differ from the standard ones.
const LEGACY_TYPES: Readonly<Record<string, string>> = { INT64: 'INTEGER', FLOAT64: 'FLOAT', BOOL: 'BOOLEAN' };
const accepting = (type: ColumnType): readonly string[] => {
  const standard = BIGQUERY_TYPES[type];
  return LEGACY_TYPES[standard] ? [standard, LEGACY_TYPES[standard]] : [standard];
};

/** The leads contract's columns, with the BigQuery types (standard and legacy names) each accepts. */
const LEAD_COLUMN_TYPES: Record<string, readonly string[]> = Object.fromEntries(LEADS.columns.map((c) => [c.name, accepting(c.type)]));

// The legacy daily-counts shape the history reads select from (leads-source.ts).
const STRING = accepting('STRING');
const DATE = accepting('DATE');
const INTEGER = accepting('INT64');
const DAILY_COUNT_COLUMNS: Record<string, readonly string[]> = {
  date_day: DATE,
  channel_grouping_name: STRING,
  original_source: STRING,
  super_segment: STRING,
  mqls_daily: INTEGER,
  sqls_daily: INTEGER,
  sqos_daily: INTEGER,
};

const ok = (check: string, message: string): PreflightCheck => ({ check, ok: true, message: `ok: ${message}` });
const fail = (check: string, message: string): PreflightCheck => ({ check, ok: false, message });

function reason(error: unknown, origin: FaultOrigin): string {
  const fault = environmentFault(error, origin);
  if (fault) return fault.message;
  if (error instanceof FunnelcastError) return error.message;
  return error instanceof Error ? error.message : String(error);
}

const status = (error: unknown) => (error as { code?: unknown }).code;

/** Missing columns and columns of the wrong type, against what the history reads select. */
function columnProblems(fields: readonly { name?: string; type?: string }[], wanted: Record<string, readonly string[]>): string[] {
  const types = new Map(fields.map((f) => [String(f.name).toLowerCase(), String(f.type).toUpperCase()]));
  return Object.entries(wanted).flatMap(([name, accepted]) => {
    const type = types.get(name);
    if (type === undefined) return [`missing column ${name} (${accepted[0]})`];
    return accepted.includes(type) ? [] : [`${name} is ${type}, must be ${accepted[0]}`];
  });
}

/**
 * Checks that a BigQuery target is ready for refresh and train, one line per check: credentials (a token can be
 * obtained), the dataset (exists, in the configured location), query jobs (a dry run), permissions on funnelcast's
 * tables and on the leads (`tables.testIamPermissions`; before the first refresh, a dry run of creating its first
 * table), the leads relation (readable, with the columns the history reads need, of the right types) and the
 * configured models. Nothing is written. Checks that need an earlier one to pass say so instead of failing again.
 */
export async function preflight(target: BigQueryTarget, options: PreflightOptions = {}): Promise<PreflightCheck[]> {
  const origin: FaultOrigin = { keyFilename: target.keyFilename, apiEndpoint: target.apiEndpoint };
  const client = bigQueryClient(target, options.authClient);
  const checks: PreflightCheck[] = [];
  const dataset = `${target.projectId}:${target.dataset}`;

  try {
    await client.authClient.getAccessToken();
    checks.push(ok('credentials', target.keyFilename ? `a token was obtained with the key file ${target.keyFilename}` : 'a token was obtained (Application Default Credentials)'));
  } catch (error) {
    return [fail('credentials', reason(error, origin)), fail('dataset', 'not checked: needs credentials')];
  }

  try {
    const [metadata] = await client.dataset(target.dataset).getMetadata();
    const location = String((metadata as { location?: unknown }).location ?? '');
    checks.push(
      location.toUpperCase() === target.location.toUpperCase()
        ? ok('dataset', `${dataset} exists in ${location}`)
        : fail('dataset', `${dataset} is in ${location}, but the target says location: ${target.location}; set location: ${location} in the target (jobs run where the dataset is)`),
    );
  } catch (error) {
    const missing = status(error) === 404;
    checks.push(fail('dataset', missing ? `${dataset} does not exist: create it with \`bq mk --dataset --location=${target.location} ${dataset}\`` : reason(error, origin)));
    if (environmentFault(error, origin)) return checks;
  }

  const dryRun = async (sql: string) => {
    const [job] = await client.createQueryJob({ query: sql, useLegacySql: false, location: target.location, dryRun: true, labels: { ...target.labels } });
    return job;
  };
  try {
    await dryRun('SELECT 1');
    checks.push(ok('jobs', `query jobs can be created in project ${target.projectId}`));
  } catch (error) {
    checks.push(fail('jobs', status(error) === 403 ? `no permission to run query jobs in project ${target.projectId}: grant roles/bigquery.jobUser there` : reason(error, origin)));
  }

  const runsTable = client.dataset(target.dataset).table(FORECAST_RUNS.name);
  try {
    const [exists] = await runsTable.exists();
    if (exists) {
      const [granted] = await runsTable.testIamPermissions([...TABLE_PERMISSIONS]);
      const missing = TABLE_PERMISSIONS.filter((p) => !(granted.permissions ?? []).includes(p));
      checks.push(
        missing.length === 0
          ? ok('permissions', `read, write and alter funnelcast's tables in ${dataset}`)
          : fail('permissions', `missing ${missing.join(', ')} on ${dataset}.${FORECAST_RUNS.name}: grant roles/bigquery.dataEditor on the dataset ${dataset}`),
      );
    } else {
      await dryRun(`CREATE TABLE IF NOT EXISTS \`${target.projectId}.${target.dataset}.${FORECAST_RUNS.name}\` (run_id STRING)`);
      checks.push(ok('permissions', `tables can be created in ${dataset} (the first refresh creates them)`));
    }
  } catch (error) {
    checks.push(fail('permissions', status(error) === 403 ? `cannot create tables in ${dataset}: grant roles/bigquery.dataEditor on the dataset` : reason(error, origin)));
  }

  checks.push(await checkLeads(client, target, dryRun, origin));

  const targetName = options.targetName ?? 'bigquery';
  const train = `train it with \`funnelcast train --target ${targetName}\``;
  const jobs = createJobRunner(client, { location: target.location, labels: target.labels, jobTimeoutMs: target.jobTimeoutMs, origin });
  for (const stage of options.models ?? []) {
    const modelDataset = target.modelDataset ?? target.dataset;
    try {
      // Before the first train there is no model_evaluations table: no version either.
      const trained = await latestTrainedVersion(jobs, { projectId: target.projectId, dataset: target.dataset }, targetName, stage).catch((error: unknown) => {
        if (error instanceof ConfigError) return null;
        throw error;
      });
      const name = trained?.modelName ?? (stage === 'sqls' ? target.sqlModelName : null);
      if (name === null) {
        checks.push(fail('models', `no ARIMA_PLUS model trained for target ${targetName}: ${train}`));
        continue;
      }
      await client.dataset(modelDataset).model(name).getMetadata();
      checks.push(ok('models', `${target.projectId}:${modelDataset}.${name} exists${trained ? ` (version ${trained.version}, data to ${trained.dataEnd})` : ''}`));
    } catch (error) {
      checks.push(fail('models', status(error) === 404 ? `the ${stage} model is missing from ${target.projectId}:${modelDataset}: ${train}` : reason(error, origin)));
    }
  }
  return checks;
}

async function checkLeads(client: BigQuery, target: BigQueryTarget, dryRun: (sql: string) => Promise<unknown>, origin: FaultOrigin): Promise<PreflightCheck> {
  const { leads } = target;
  if ('query' in leads) {
    try {
      await dryRun(`SELECT * FROM (${leads.query}) LIMIT 0`);
      return ok('leads', 'the leads query is valid and readable (its columns are checked at each refresh)');
    } catch (error) {
      return fail('leads', `the leads query fails: ${reason(error, origin)}`);
    }
  }
  const [configured, wanted] = 'table' in leads ? [leads.table, LEAD_COLUMN_TYPES] : [leads.dailyCountsTable, DAILY_COUNT_COLUMNS];
  const [projectId, datasetId, tableId] = configuredTablePath(configured, target.projectId, target.dataset, 'leads').replaceAll('`', '').split('.');
  const name = `${projectId}:${datasetId}.${tableId}`;
  try {
    const table = client.dataset(datasetId!, { projectId: projectId! }).table(tableId!);
    const [metadata] = await table.getMetadata();
    const problems = columnProblems((metadata as { schema?: { fields?: { name?: string; type?: string }[] } }).schema?.fields ?? [], wanted);
    if (problems.length > 0) return fail('leads', `${name} does not match the leads contract: ${problems.join('; ')}`);
    const [granted] = await table.testIamPermissions([...LEADS_PERMISSIONS]);
    if (!(granted.permissions ?? []).includes(LEADS_PERMISSIONS[0])) return fail('leads', `cannot read ${name}: grant roles/bigquery.dataViewer on it (or its dataset)`);
    return ok('leads', `${name} is readable and has the contract's columns`);
  } catch (error) {
    return fail('leads', status(error) === 404 ? `${name} does not exist: fix leads in the target` : reason(error, origin));
  }
}
