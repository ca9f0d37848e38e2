import { describe, expect, it } from 'vitest';
import type { RunRecord } from './columns.js';
import { publishedRunRecord } from './published-run.js';
import { MSTL_ETS, V3_RIDGE } from './vocabulary.js';

const RUNNING: RunRecord = {
  run_id: 'fc_20251001_abc',
  as_of: '2025-10-01',
  status: 'running',
  config_hash: 'abc',
  horizon: 90,
  mql_model: MSTL_ETS,
  sql_model: V3_RIDGE,
  started_at: '2025-10-01T06:00:00.000Z',
  finished_at: null,
  published_at: null,
  timings_json: null,
  row_count: null,
  mapping_row_count: null,
  error: 'an earlier attempt failed',
  warnings_json: null,
  owner: 'host:1',
  heartbeat_at: '2025-10-01T06:00:40.000Z',
  request_id: null,
};

describe('publishedRunRecord', () => {
  it('stamps the clock, counts the rows and clears an earlier error', () => {
    const record = publishedRunRecord(RUNNING, { now: new Date('2025-10-01T06:01:00Z'), latestOtherPublishedMs: null, rowCount: 12, mappingRowCount: 3 });
    expect(record).toEqual({
      ...RUNNING,
      status: 'published',
      finished_at: '2025-10-01T06:01:00.000Z',
      published_at: '2025-10-01T06:01:00.000Z',
      row_count: 12,
      mapping_row_count: 3,
      error: null,
    });
  });

  it('publishes strictly after every other run, even when the clock is behind, keeping a given finish time', () => {
    const later = Date.parse('2025-10-01T07:00:00Z');
    const record = publishedRunRecord(
      { ...RUNNING, finished_at: '2025-10-01T06:00:30.000Z' },
      { now: new Date('2025-10-01T06:01:00Z'), latestOtherPublishedMs: later, rowCount: 0, mappingRowCount: 0 },
    );
    expect(record.published_at).toBe('2025-10-01T07:00:00.001Z');
    expect(record.finished_at).toBe('2025-10-01T06:00:30.000Z');
  });
});
