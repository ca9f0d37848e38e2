import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BigQuery } from '@google-cloud/bigquery';
import { addDays, todayUtc } from '@funnelcast/core';
import { generateLeads } from '@funnelcast/demo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliJson, tempDir } from '../support/cli.js';

// The settings scripts/test-bigquery-live.mjs checked and completed; credentials are the client's own (ADC, or the
// key file GOOGLE_APPLICATION_CREDENTIALS names), and the CLI finds them the same way.
const projectId = process.env.FUNNELCAST_BIGQUERY_LIVE_PROJECT ?? '';
const dataset = process.env.FUNNELCAST_BIGQUERY_LIVE_DATASET ?? '';
const location = process.env.FUNNELCAST_BIGQUERY_LIVE_LOCATION ?? '';

const AS_OF = todayUtc(new Date());
const LEAD_FIELDS = [
  ...['lead_id', 'channel_grouping_name', 'original_source', 'super_segment'].map((name) => ({ name, type: 'STRING', mode: 'REQUIRED' })),
  { name: 'mql_date', type: 'DATE', mode: 'REQUIRED' },
  { name: 'sql_date', type: 'DATE', mode: 'NULLABLE' },
  { name: 'sqo_date', type: 'DATE', mode: 'NULLABLE' },
];

// What a team does before going live: the demo's leads in a scratch dataset, one refresh as the worker would run it,
// and the views Looker reads answering. The dataset is kept, so the result can be looked at afterwards.
describe(`a refresh on the live project ${projectId}, dataset ${dataset}`, () => {
  const client = new BigQuery({ projectId, location });
  const query = async (sql: string) => (await client.query({ query: sql, location }))[0] as Record<string, unknown>[];
  const path = (table: string) => `\`${projectId}.${dataset}.${table}\``;
  let folder: Awaited<ReturnType<typeof tempDir>>;
  let superSegments: string[];

  beforeAll(async () => {
    folder = await tempDir('funnelcast-live-');
    const leads = generateLeads({ end: AS_OF });
    superSegments = [...new Set(leads.map((l) => l.super_segment))].sort();
    const file = join(folder.path, 'leads.ndjson');
    await writeFile(file, leads.map((lead) => JSON.stringify(lead)).join('\n'));
    await query(`CREATE SCHEMA IF NOT EXISTS \`${dataset}\``);
    // A load job: free, one job, and the table replaced whole on every run of the check.
    await client.dataset(dataset).table('leads').load(file, {
      sourceFormat: 'NEWLINE_DELIMITED_JSON',
      writeDisposition: 'WRITE_TRUNCATE',
      schema: { fields: LEAD_FIELDS },
      location,
    });
  });

  afterAll(() => folder?.cleanup());

  it('publishes a forecast the views show, with the actuals it recounted', async () => {
    const config = {
      defaultTarget: 'live',
      superSegments,
      targets: { live: { type: 'bigquery', projectId, dataset, location, leads: { table: 'leads' }, labels: { app: 'funnelcast', check: 'live' } } },
    };
    await writeFile(join(folder.path, 'funnelcast.config.json'), JSON.stringify(config));
    const { code, json, stderr } = await runCliJson<{ published: boolean; production: boolean; runId: string; rows: number }>(
      ['refresh', '--as-of', AS_OF, '--json'],
      { cwd: folder.path },
    );
    expect(code, stderr).toBe(0);
    expect(json).toMatchObject({ published: true, production: true });
    const [shown] = await query(`SELECT COUNT(*) AS n, ANY_VALUE(run_id) AS run_id FROM ${path('vw_production_forecast')}`);
    expect(shown).toEqual({ n: json.rows, run_id: json.runId });
    const [actuals] = await query(`SELECT COUNT(*) AS n, MAX(date_day) AS last FROM ${path('daily_actuals')}`);
    expect(Number(actuals?.n)).toBeGreaterThan(0);
    // Recounted up to the day before the as-of date, and no further.
    expect((actuals?.last as { value: string }).value <= addDays(AS_OF, -1)).toBe(true);
  });
});
