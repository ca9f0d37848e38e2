import { randomBytes } from 'node:crypto';
import { RETENTION_DAYS_DEFAULT } from '@funnelcast/core';
import { describeWarehouseConformance } from '@funnelcast/warehouse-conformance';
import { bigQueryConformanceSetup } from '../testing/bigquery-conformance-setup.js';

// The settings scripts/test-bigquery-live.mjs checked and completed; credentials are the client's own (ADC, or the
// key file GOOGLE_APPLICATION_CREDENTIALS names).
const projectId = process.env.FUNNELCAST_BIGQUERY_LIVE_PROJECT ?? '';
const dataset = process.env.FUNNELCAST_BIGQUERY_LIVE_DATASET ?? '';
const location = process.env.FUNNELCAST_BIGQUERY_LIVE_LOCATION ?? '';
const run = randomBytes(3).toString('hex');
let tests = 0;

// The suite the local test server runs, on a real project: one scratch dataset per test, dropped after it.
describeWarehouseConformance(
  `bigquery (live project ${projectId})`,
  bigQueryConformanceSetup(async () => ({
    target: {
      type: 'bigquery',
      projectId,
      dataset: `${dataset}_${run}_${++tests}`,
      location,
      leads: { table: 'leads' },
      sqlModelName: 'model_tof_sql_regressor_v3_1_final',
      mqlModelName: 'model_mql_arima_plus',
      labels: { app: 'funnelcast', check: 'live' },
      retentionDays: RETENTION_DAYS_DEFAULT,
      jobTimeoutMs: 600_000,
      pricePerTiB: 6.25,
    },
  })),
);
