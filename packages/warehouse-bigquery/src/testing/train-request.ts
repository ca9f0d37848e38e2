import type { TrainRequest } from '@funnelcast/core';

/** A `funnelcast train` request of target `prod` as of 2024-03-01 on the year before, both stages; tests override parts. */
export const trainRequest = (overrides: Partial<TrainRequest> = {}): TrainRequest => ({
  target: 'prod',
  trainId: 'tr_1',
  trainedAt: '2024-03-01T08:00:00.000Z',
  asOf: '2024-03-01',
  since: '2023-03-01',
  stages: ['mqls', 'sqls'],
  settings: { holidayRegion: 'GB', arimaHorizon: 120, decomposeTimeSeries: true },
  dryRun: false,
  ...overrides,
});
