import { RETENTION_DAYS_DEFAULT, type HistoryRequest } from '@funnelcast/core';
import { describe, expect, it } from 'vitest';
import { allHistoryQueries } from './history-sql.js';
import { leadsSource, type BigQueryTarget } from './leads-source.js';
import { parseBigQuery } from './testing/parse-bigquery.js';

const target = (leads: BigQueryTarget['leads']): BigQueryTarget => ({
  type: 'bigquery',
  projectId: 'my-project',
  dataset: 'funnelcast',
  location: 'US',
  leads,
  jobTimeoutMs: 3_600_000,
  pricePerTiB: 6.25,
  sqlModelName: 'model_tof_sql_regressor_v3_1_final',
  mqlModelName: 'model_mql_arima_plus',
  labels: { app: 'funnelcast' },
  retentionDays: RETENTION_DAYS_DEFAULT,
});

const REQUEST: HistoryRequest = {
  asOf: '2024-03-01',
  since: '2023-03-01',
  conversion: {
    cohortStart: '2023-03-01',
    cohortEnd: '2024-01-01',
    maxLagDays: 60,
    mqlToSql: { cohortStart: '2022-11-01', cohortEnd: '2023-11-01', maxLagDays: 120, lookBackDays: 120 },
  },
};

describe('history SQL', () => {
  it.each<BigQueryTarget['leads']>([{ table: 'crm.leads' }, { query: 'SELECT * FROM `my-project.crm.leads`' }, { dailyCountsTable: 'legacy.daily' }])(
    'parses as BigQuery SQL and carries every value as a typed parameter (leads %o)',
    (leads) => {
      const queries = allHistoryQueries(leadsSource(target(leads)), REQUEST, { today: '2024-06-30', superSegments: ['Outbound', 'Other'] });
      expect(queries).toHaveLength('dailyCountsTable' in leads ? 2 : 7);
      for (const { sql, input } of queries) {
        expect(() => parseBigQuery(sql), sql).not.toThrow();
        expect(sql).not.toContain('2024-03-01');
        for (const name of Object.keys(input.params)) {
          expect(sql).toContain(`@${name}`);
          expect(input.types[name]).toBeDefined();
        }
      }
    },
  );
});
