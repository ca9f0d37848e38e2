import { describe, expect, it } from 'vitest';
import { snakeCase, snakeCaseKeys } from './json-keys.js';

describe('snakeCase', () => {
  it('turns camelCase keys into the snake_case of the warehouse columns', () => {
    expect(['asOf', 'lower50', 'ratioToV1', 'abandonedRuns', 'jobId', 'periodStart'].map(snakeCase)).toEqual([
      'as_of', 'lower_50', 'ratio_to_v1', 'abandoned_runs', 'job_id', 'period_start',
    ]);
  });

  it('keeps keys that are already JSON vocabulary', () => {
    expect(['run_id', 'Channel_Grouping_Name', 'fit_mqls', 'wait', 'coverage_95'].map(snakeCase)).toEqual(['run_id', 'Channel_Grouping_Name', 'fit_mqls', 'wait', 'coverage_95']);
  });
});

describe('snakeCaseKeys', () => {
  it('renames keys at every depth, and leaves values alone', () => {
    expect(snakeCaseKeys({ runId: 'r', dataEnd: { lastDay: '2025-01-01' }, landings: [{ upper95: 3, stage: 'mqls' }], note: 'keepThis' })).toEqual({
      run_id: 'r',
      data_end: { last_day: '2025-01-01' },
      landings: [{ upper_95: 3, stage: 'mqls' }],
      note: 'keepThis',
    });
    expect(snakeCaseKeys(null)).toBeNull();
    expect(snakeCaseKeys(['aB'])).toEqual(['aB']);
  });
});
