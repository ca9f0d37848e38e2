import { LEADS, RETENTION_DAYS_DEFAULT } from '@funnelcast/core';
import { OAuth2Client } from 'google-auth-library';
import { createBigQueryWarehouse, type BigQueryWarehouse, type BigQueryWarehouseOptions } from '../bigquery-warehouse.js';
import type { BigQueryTarget } from '../leads-source.js';
import { startFakeBigQuery, type FakeBigQuery, type FakeBigQueryOptions } from './fake-bigquery.js';

/** The leads table's DuckDB definition in the fake: the leads contract the analyser's catalog holds. */
export const LEADS_DDL = `CREATE TABLE IF NOT EXISTS "fc"."leads" (${LEADS.columns.map((c) => `${c.name} ${c.type === 'DATE' ? 'DATE' : 'VARCHAR'}`).join(', ')})`;

/** The access token the fixed credentials send. */
export const TEST_TOKEN = 'test-access-token';

/** Credentials that never leave the process: a fixed access token, valid for an hour. */
export function fixedTokenClient(): OAuth2Client {
  const client = new OAuth2Client();
  client.setCredentials({ access_token: TEST_TOKEN, expiry_date: Date.now() + 3_600_000 });
  return client;
}

/**
 * A credentials file (an external-account authorized user, which names its own token endpoint) whose tokens come from
 * `tokenUrl`, the fake's: what a process that cannot be handed an auth client (the CLI) authenticates with.
 */
export function authorizedUserKey(tokenUrl: string) {
  return {
    type: 'external_account_authorized_user',
    audience: '//iam.googleapis.com/locations/global/workforcePools/test/providers/test',
    client_id: 'funnelcast-test',
    client_secret: 'funnelcast-test',
    refresh_token: 'funnelcast-test',
    token_url: tokenUrl,
  };
}

/** A BigQuery target pointing at `fake`, dataset `fc`, leads in `fc.leads`. */
export function fakeTarget(fake: FakeBigQuery, overrides: Partial<BigQueryTarget> = {}): BigQueryTarget {
  return {
    type: 'bigquery',
    projectId: 'test-project',
    dataset: 'fc',
    location: 'EU',
    leads: { table: 'leads' },
    sqlModelName: 'model_tof_sql_regressor_v3_1_final',
    mqlModelName: 'model_mql_arima_plus',
    apiEndpoint: fake.apiEndpoint,
    labels: { app: 'funnelcast', team: 'revops' },
    retentionDays: RETENTION_DAYS_DEFAULT,
    maximumBytesBilled: 5_000_000_000,
    jobTimeoutMs: 60_000,
    pricePerTiB: 6.25,
    ...overrides,
  };
}

/** A fresh fake endpoint with an empty leads table, and a warehouse on it that never waits between retries. */
export async function openFakeWarehouse(
  setup: { fake?: FakeBigQueryOptions; target?: Partial<BigQueryTarget>; options?: BigQueryWarehouseOptions } = {},
): Promise<{ fake: FakeBigQuery; warehouse: BigQueryWarehouse; sleeps: number[] }> {
  const target = fakeTarget({ apiEndpoint: '' } as FakeBigQuery, setup.target);
  const v31 = `${target.projectId}.${target.modelDataset ?? target.dataset}.${target.sqlModelName}`;
  // The V3.1 regressor is trained outside funnelcast: it exists before the test, predicting `target_sqls`.
  const fake = await startFakeBigQuery({
    ...setup.fake,
    models: { [v31]: { kind: 'regressor', labels: [{ name: 'target_sqls', type: { typeKind: 'TYPE_DOUBLE' } }], idColumns: [] }, ...setup.fake?.models },
  });
  await fake.exec(`CREATE SCHEMA IF NOT EXISTS "fc";\n${LEADS_DDL}`);
  const sleeps: number[] = [];
  const warehouse = createBigQueryWarehouse(fakeTarget(fake, setup.target), {
    authClient: fixedTokenClient(),
    retry: { sleep: async (ms) => void sleeps.push(ms), random: () => 0.5 },
    ...setup.options,
  });
  return { fake, warehouse, sleeps };
}
