import { landings, type ProductionRow } from '@funnelcast/core';
import type { RefreshSummary } from '@funnelcast/pipeline';
import { describe, expect, it } from 'vitest';
import { renderRefreshSummary, summaryJson } from './render-summary.js';

/** Two forecast days of one combination at the end of October: the month lands in full, the quarter partially. */
const row = (date_day: string): ProductionRow =>
  ({
    date_day,
    data_type: 'FORECAST',
    mqls_actual: null,
    sqls_actual: null,
    sqos_actual: null,
    mqls_forecast: 10,
    sqls_forecast: 3,
    sqos_forecast: 1,
    mqls_own_var: 10,
    sqls_own_var: 3,
    sqos_own_var: 1,
    mqls_shared_sd: 0,
    sqls_shared_sd: 0,
    sqos_shared_sd: 0,
  }) as unknown as ProductionRow;
const rows = [row('2025-10-30'), row('2025-10-31')];

function summary(overrides: Partial<RefreshSummary> = {}): RefreshSummary {
  return {
    runId: 'fc_20251030_x',
    target: 'local',
    warehouse: 'duckdb',
    asOf: '2025-10-30',
    requestedAsOf: '2025-10-30',
    dataEnd: { lastDay: '2025-10-29', silentDays: 0, expectedEvents: 0, stale: false },
    horizon: 2,
    published: true,
    alreadyPublished: false,
    production: true,
    productionRun: { runId: 'fc_20251030_x', asOf: '2025-10-30' },
    rows: 2,
    mappingRows: 1,
    combinations: 1,
    superSegments: ['Outbound'],
    models: { mqls: 'seasonal-naive', sqls: 'seasonal-naive' },
    selection: { mqls: [], sqls: [], split: [] },
    landings: [...landings(rows, 'month'), ...landings(rows, 'quarter')],
    timings: { aggregate: 100, fit_mqls: 200, fit_sqls: 300, distribute: 10, validate: 5, publish: 50 } as RefreshSummary['timings'],
    warnings: [],
    ...overrides,
  };
}

describe('the refresh summary', () => {
  it('prints its landings as forecast --total rows in JSON: labelled periods, no combination', () => {
    const json = summaryJson(summary());
    expect(json.landings.map((l) => [l.period, l.periodStart, l.stage, l.channel, l.source, l.partial])).toEqual([
      ['2025-10', '2025-10-01', 'mqls', null, null, false],
      ['2025-10', '2025-10-01', 'sqls', null, null, false],
      ['2025-10', '2025-10-01', 'sqos', null, null, false],
      ['2025-Q4', '2025-10-01', 'mqls', null, null, true],
      ['2025-Q4', '2025-10-01', 'sqls', null, null, true],
      ['2025-Q4', '2025-10-01', 'sqos', null, null, true],
    ]);
    expect(json.landings[0]).toMatchObject({ actual: 0, forecast: 20, landing: 20 });
  });

  it('says what was published, marks a partial period and says why', () => {
    const text = renderRefreshSummary(summary());
    expect(text.split('\n')[0]).toBe('Published run fc_20251030_x to local (duckdb) in 0.7s');
    expect(text).toMatch(/2025-Q4 \* +MQLs/);
    expect(text).toContain('* the horizon ends before the period does: its last days are not counted');
    expect(text).not.toContain('not production');
  });

  it('tells a dry run, an older as-of date kept for tracking, a duplicate request and stale data apart', () => {
    expect(renderRefreshSummary(summary({ published: false, production: false })).split('\n')[0]).toBe(
      'Dry run fc_20251030_x on local (duckdb): computed and validated in 0.7s, nothing published',
    );
    const older = renderRefreshSummary(summary({ production: false, productionRun: { runId: 'fc_20251101_y', asOf: '2025-11-01' } }));
    expect(older).toContain('not production: kept for tracking; production stays run fc_20251101_y as of 2025-11-01');
    expect(renderRefreshSummary(summary({ alreadyPublished: true }))).toContain('already published by another execution of the same request');
    const stale = renderRefreshSummary(summary({ requestedAsOf: '2025-11-05', dataEnd: { lastDay: '2025-10-29', silentDays: 7, expectedEvents: 70, stale: true } }));
    expect(stale).toContain('stale data: asked for 2025-11-05, but the data ends on 2025-10-29: forecast from 2025-10-30');
  });
});
