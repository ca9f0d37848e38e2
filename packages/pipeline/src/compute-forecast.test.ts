import { addDays, parseConfig, type DailyCounts, type FunnelHistory } from '@funnelcast/core';
import { createForecaster } from '@funnelcast/models';
import { describe, expect, it } from 'vitest';
import { computeForecast } from './compute-forecast.js';

const AS_OF = '2025-06-01';
const WEB = { superSegment: 'Outbound', channel: 'Web', source: 'organic' };
const EVENTS = { superSegment: 'Outbound', channel: 'Events', source: 'expo' };

describe('computeForecast', () => {
  it('converts the open SQLs of a combination the mapping window no longer sees, giving it rows', async () => {
    // Web has an MQL and an SQL every day; Events had one SQL 45 days ago, still open, and nothing since: outside a
    // 30-day mapping window, inside the 60-day SQO lag.
    const daily: DailyCounts[] = Array.from({ length: 300 }, (_, i) => ({ date: addDays(AS_OF, i - 300), ...WEB, mqls: 1, sqls: 1, sqos: 0 }));
    daily.push({ date: addDays(AS_OF, -45), ...EVENTS, mqls: 1, sqls: 1, sqos: 0 });
    daily.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.channel < b.channel ? -1 : 1));
    const history: FunnelHistory = {
      asOf: AS_OF,
      daily,
      spans: [
        { ...WEB, firstDate: addDays(AS_OF, -300), lastDate: addDays(AS_OF, -1) },
        { ...EVENTS, firstDate: addDays(AS_OF, -45), lastDate: addDays(AS_OF, -45) },
      ],
      conversion: {
        cohorts: [{ ...WEB, sqls: 200, sqos: 100 }],
        lagCounts: Array.from({ length: 61 }, (_, k) => (k >= 40 && k < 60 ? 5 : 0)),
        openSqls: [{ ...EVENTS, ageDays: 45, count: 1 }],
        mqlToSql: { byAge: [], lagCounts: [1], laterSqls: 0 },
      },
    };
    const config = parseConfig({ superSegments: ['Outbound'], mapping: { windowDays: 30 }, conversion: { maturityDays: 60 } });
    const naive = createForecaster('seasonal-naive');
    const computed = await computeForecast(history, {
      config,
      asOf: AS_OF,
      horizon: 30,
      runId: 'fc_test',
      generatedAt: '2025-06-01T06:00:00.000Z',
      forecasters: { mqls: [naive], sqls: [naive], robust: naive },
    });

    expect(computed.violations).toEqual([]);
    expect(computed.combinations).toContainEqual({ channel: 'Events', source: 'expo' });
    const events = computed.rows.filter((r) => r.Channel_Grouping_Name === 'Events' && r.data_type === 'FORECAST');
    expect(events).toHaveLength(30);
    // No SQLs of its own are forecast, but its open SQL converts inside the horizon at its shrunk rate.
    expect(events.every((r) => r.sqls_forecast === 0)).toBe(true);
    const sqos = events.reduce((sum, r) => sum + (r.sqos_forecast ?? 0), 0);
    expect(sqos).toBeGreaterThan(0.2);
    expect(sqos).toBeLessThan(1);
  });
});
