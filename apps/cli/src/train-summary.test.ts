import type { ModelEvaluationRow } from '@funnelcast/core';
import type { TrainSummary } from '@funnelcast/pipeline';
import { describe, expect, it } from 'vitest';
import { trainJsonSchema } from './json/train.js';
import { snakeCaseKeys } from './json-keys.js';
import { renderTrainSummary } from './train-summary.js';

const model = (model_name: string, stage: string, model_type: string) => ({ train_id: 'tr_1', target: 'prod', stage, model_type, model_name, version: 3, trained_at: '2026-06-10T05:00:00.000Z', data_end: '2026-06-10' });
const arima = model('mql_prod_v3', 'mqls', 'ARIMA_PLUS');
const tree = model('sql_prod_v3', 'sqls', 'BOOSTED_TREE_REGRESSOR');
const evaluations: ModelEvaluationRow[] = [
  ...['Web / organic', 'Events / booth'].flatMap((series, i) => [
    { ...arima, series, metric: 'non_seasonal_p', value: 1 + i },
    { ...arima, series, metric: 'aic', value: 100.25 + i },
  ]),
  { ...tree, series: null, metric: 'mean_absolute_error', value: 1.5 },
  { ...tree, series: null, metric: 'r2_score', value: null },
];
const summary: TrainSummary = {
  trainId: 'tr_1',
  target: 'prod',
  warehouse: 'bigquery',
  skipped: null,
  asOf: '2026-06-10',
  since: '2024-06-10',
  dryRun: false,
  pricePerTib: 6.25,
  models: [
    { stage: 'mqls', modelType: 'ARIMA_PLUS', modelName: 'mql_prod_v3', version: 3, bytes: null, costUsd: null },
    { stage: 'sqls', modelType: 'BOOSTED_TREE_REGRESSOR', modelName: 'sql_prod_v3', version: 3, bytes: null, costUsd: null },
  ],
  evaluations,
};

describe('funnelcast train output', () => {
  it('prints the models, the regressor one metric per line and ARIMA_PLUS one series per line', () => {
    const lines = renderTrainSummary(summary).split('\n');
    expect(lines[0]).toBe('Trained on prod (tr_1) from 2024-06-10 to the day before 2026-06-10; refreshes now read these versions:');
    expect(lines.find((l) => l.startsWith('mqls'))).toMatch(/^mqls\s+mql_prod_v3\s+ARIMA_PLUS\s+3$/);
    expect(lines.find((l) => l.includes('mean_absolute_error'))).toMatch(/^sql_prod_v3\s+mean_absolute_error\s+1\.500$/);
    expect(lines.find((l) => l.includes('r2_score'))).toMatch(/^sql_prod_v3\s+r2_score\s*$/);
    expect(lines.find((l) => l.startsWith('model ') && l.includes('series'))).toMatch(/^model\s+series\s+non_seasonal_p\s+aic$/);
    expect(lines.find((l) => l.includes('Events / booth'))).toMatch(/^mql_prod_v3\s+Events \/ booth\s+2\s+101\.250$/);
  });

  it('prints what a dry run would scan and cost, and why an embedded target trains nothing', () => {
    const models = [
      { stage: 'mqls' as const, modelType: 'ARIMA_PLUS', modelName: 'mql_prod_vnext', version: null, bytes: 2 ** 40, costUsd: 6.25 },
      { stage: 'sqls' as const, modelType: 'BOOSTED_TREE_REGRESSOR', modelName: 'sql_prod_vnext', version: null, bytes: 2 ** 39, costUsd: 3.125 },
    ];
    const dry = renderTrainSummary({ ...summary, dryRun: true, evaluations: [], models });
    expect(dry.split('\n')[0]).toBe('Dry run on prod: only dry-run jobs were sent; nothing trained. Training on 2024-06-10 … the day before 2026-06-10 would create:');
    expect(dry).toMatch(/mql_prod_vnext\s+ARIMA_PLUS\s+1\.00 TiB\s+\$6\.25/);
    expect(dry).toMatch(/sql_prod_vnext\s+BOOSTED_TREE_REGRESSOR\s+512\.0 GiB\s+\$3\.13/);
    expect(dry.split('\n').at(-1)).toBe('Total: 1.50 TiB, about $9.38 at $6.25/TiB (pricePerTiB in the target).');
    expect(renderTrainSummary({ ...summary, skipped: 'local is a duckdb target', models: [], evaluations: [] })).toBe('Nothing to train: local is a duckdb target.');
  });

  it('matches its JSON schema as --json prints it', () => {
    const parsed = trainJsonSchema.safeParse(snakeCaseKeys(summary));
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    expect(trainJsonSchema.safeParse(snakeCaseKeys({ ...summary, models: [{ ...summary.models[0], modelType: 'KMEANS' }] })).success).toBe(false);
  });
});
