import { InputError, parseConfig, type TrainRequest, type TrainResult, type Warehouse } from '@funnelcast/core';
import { createDuckDbWarehouse } from '@funnelcast/warehouse-duckdb';
import { describe, expect, it } from 'vitest';
import { train } from './train.js';

const config = parseConfig({ historyDays: 365, training: { holidayRegion: 'GB' } });
const NOW = new Date('2026-06-10T05:00:00Z');

// A warehouse that trains: the DuckDB one (for its data) with a recording trainModels.
async function trainingWarehouse(lastDate: string | null) {
  const duck = await createDuckDbWarehouse({ path: ':memory:' });
  const requests: TrainRequest[] = [];
  const warehouse: Warehouse = {
    ...duck,
    kind: 'bigquery',
    ensureSchema: () => duck.ensureSchema(),
    describeData: async () => (lastDate ? { leads: 10, firstDate: '2025-01-01', lastDate, superSegments: ['Outbound'], combinations: 1 } : null),
    close: () => duck.close(),
    trainModels: async (request): Promise<TrainResult> => {
      requests.push(request);
      return { models: request.stages.map((stage) => ({ stage, modelType: stage, modelName: `m_${stage}`, version: 1, bytes: null })), evaluations: [] };
    },
  };
  return { warehouse, requests };
}

describe('train', () => {
  it('trains both stages on the history before today, historyDays long, with the config training settings', async () => {
    const { warehouse, requests } = await trainingWarehouse('2026-06-09');
    const summary = await train(config, { warehouse, now: () => NOW });
    expect(requests).toEqual([
      expect.objectContaining({
        target: 'local',
        asOf: '2026-06-10',
        since: '2025-06-10',
        stages: ['mqls', 'sqls'],
        settings: { holidayRegion: 'GB', arimaHorizon: 180, decomposeTimeSeries: true },
        dryRun: false,
        trainedAt: NOW.toISOString(),
      }),
    ]);
    expect(summary.trainId).toMatch(/^tr_20260610T050000_[0-9a-f]{6}$/);
    expect(requests[0]?.trainId).toBe(summary.trainId);
    await warehouse.close();
  });

  it('stops the history where the data stops, trains one stage when asked, and refuses when there are no leads', async () => {
    const { warehouse, requests } = await trainingWarehouse('2026-05-31');
    await train(config, { warehouse, now: () => NOW, stage: 'sqls' });
    expect(requests[0]).toMatchObject({ asOf: '2026-06-01', stages: ['sqls'] });
    const empty = await trainingWarehouse(null);
    await expect(train(config, { warehouse: empty.warehouse, now: () => NOW })).rejects.toBeInstanceOf(InputError);
    expect(empty.requests).toEqual([]);
    await warehouse.close();
    await empty.warehouse.close();
  });

  it('trains nothing on an embedded target, and says why: its models need no training', async () => {
    const summary = await train(parseConfig({ targets: { local: { type: 'duckdb', path: '/nonexistent/fc.duckdb' } } }), { dryRun: true });
    expect(summary).toMatchObject({ trainId: null, target: 'local', warehouse: 'duckdb', models: [], evaluations: [], dryRun: true });
    expect(summary.skipped).toMatch(/^local is a duckdb target: its embedded models are fitted at every refresh and need no training/);
  });
});
