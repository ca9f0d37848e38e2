import { addDays, parseConfig, SEASONAL_NAIVE, type DailyCounts, type FunnelHistory, type ProductionRow, type Warehouse } from '@funnelcast/core';
import { createForecaster } from '@funnelcast/models';
import { describe, expect, it } from 'vitest';
import { computeForecast } from './compute-forecast.js';
import { resolveForecasters } from './forecasters.js';

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
    const naive = createForecaster(SEASONAL_NAIVE);
    const computed = await computeForecast(history, {
      config,
      asOf: AS_OF,
      horizon: 30,
      runId: 'fc_test',
      generatedAt: '2025-06-01T06:00:00.000Z',
      forecasters: { mqls: [naive], sqls: [naive], robust: naive, funnelSqls: false },
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

  describe('on messy histories (issue 9)', () => {
    const MONDAY = '2026-06-01';
    const NEW = { superSegment: 'Outbound', channel: 'Partners', source: 'referral' };
    const weekday = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();

    /** A web funnel of `perDay(d)` MQLs (d = days before the as-of date), SQLs a third of them, none on weekends. */
    function webHistory(perDay: (daysBefore: number) => number): DailyCounts[] {
      const daily: DailyCounts[] = [];
      for (let back = 300; back >= 1; back--) {
        const date = addDays(MONDAY, -back);
        const day = weekday(date);
        if (day === 0 || day === 6) continue;
        const mqls = Math.round(perDay(back));
        daily.push({ date, ...WEB, mqls, sqls: Math.round(mqls / 3), sqos: 0 });
      }
      return daily;
    }

    async function forecast(daily: DailyCounts[]) {
      daily.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.channel < b.channel ? -1 : 1));
      const spansOf = (rows: DailyCounts[]) =>
        [WEB, NEW].flatMap((grain) => {
          const own = rows.filter((r) => r.channel === grain.channel);
          return own.length > 0 ? [{ ...grain, firstDate: own[0]!.date, lastDate: own.at(-1)!.date }] : [];
        });
      const historyAt = async (asOf: string): Promise<FunnelHistory> => {
        const rows = daily.filter((r) => r.date < asOf);
        return { asOf, daily: rows, spans: spansOf(rows), conversion: null };
      };
      const config = parseConfig({ superSegments: ['Outbound'] });
      return computeForecast(await historyAt(MONDAY), {
        config,
        asOf: MONDAY,
        horizon: 30,
        runId: 'fc_messy',
        generatedAt: '2026-06-01T06:00:00.000Z',
        forecasters: await resolveForecasters(config, { kind: 'duckdb' } as Warehouse),
        historyAt,
      });
    }

    const monthOf = (rows: readonly ProductionRow[], stage: 'mqls' | 'sqls', channel?: string) =>
      rows.filter((r) => r.data_type === 'FORECAST' && (channel === undefined || r.Channel_Grouping_Name === channel)).reduce((sum, r) => sum + (r[`${stage}_forecast`] ?? 0), 0);

    it('reads a first and only lead on the day before the as-of date (a Sunday) as a few a month, not dozens a day', async () => {
      const daily = webHistory(() => 10);
      daily.push({ date: addDays(MONDAY, -1), ...NEW, mqls: 1, sqls: 0, sqos: 0 });
      const computed = await forecast(daily);
      expect(computed.violations).toEqual([]);
      // Before the exposure floor: 1 lead over one Sunday, a day the pooled week expects almost nothing of, was a rate
      // of about 1 / 0.001 a day — thousands in the month.
      expect(monthOf(computed.rows, 'mqls', NEW.channel)).toBeLessThan(3);
      const total = monthOf(computed.rows, 'mqls');
      expect(total).toBeGreaterThan(0.5 * 220);
      expect(total).toBeLessThan(2 * 220);
    });

    it('follows a step up after a quiet month instead of averaging it away', async () => {
      // Ten a weekday, a quiet month at two, then four weeks at thirty.
      const computed = await forecast(webHistory((back) => (back <= 28 ? 30 : back <= 58 ? 2 : 10)));
      expect(computed.violations).toEqual([]);
      const mqls = monthOf(computed.rows, 'mqls');
      const sqls = monthOf(computed.rows, 'sqls');
      // About 22 weekdays ahead at the new level: 660 MQLs and 220 SQLs.
      expect(mqls).toBeGreaterThan(0.5 * 660);
      expect(mqls).toBeLessThan(2 * 660);
      expect(sqls).toBeGreaterThan(0.5 * 220);
      expect(sqls).toBeLessThan(2 * 220);
    });
  });
});
