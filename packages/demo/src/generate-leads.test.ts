import { ConfigError, addDays, calendarParts, combinationKey, compareDates, toDayNumber } from '@funnelcast/core';
import { sumBySegment } from './count-grid.js';
import { describe, expect, it } from 'vitest';
import { demoProcess } from './demo-process.js';
import { expectedDailyCounts } from './expected-daily-counts.js';
import { generateLeadColumns, generateLeads, iterateLeads, leadAt } from './generate-leads.js';
import type { LeadRow } from '@funnelcast/core';

const END = '2026-06-01';
const SHORT = { end: END, start: '2026-02-01' } as const;

describe('generateLeads', () => {
  it('gives the same leads for the same seed and different leads for another', () => {
    const a = generateLeads({ ...SHORT, seed: 11 });
    expect(generateLeads({ ...SHORT, seed: 11 })).toEqual(a);
    const b = generateLeads({ ...SHORT, seed: 12 });
    expect(b).not.toEqual(a);
    expect(a.length).toBeGreaterThan(500);
  });

  it('defaults to seed 42 and two years before end', () => {
    const leads = generateLeads({ end: END });
    expect(leads).toEqual(generateLeads({ end: END, seed: 42, start: addDays(END, -730) }));
    expect(leads[0]?.mql_date).toBe(addDays(END, -730));
  });

  it('gives unique ids, ordered stage dates and nothing on or after end', () => {
    const leads = generateLeads({ end: END });
    expect(new Set(leads.map((lead) => lead.lead_id)).size).toBe(leads.length);
    for (const lead of leads) {
      expect(compareDates(lead.mql_date, END)).toBeLessThan(0);
      if (lead.sql_date !== null) {
        expect(compareDates(lead.mql_date, lead.sql_date)).toBeLessThanOrEqual(0);
        expect(compareDates(lead.sql_date, END)).toBeLessThan(0);
      }
      if (lead.sqo_date !== null) {
        expect(lead.sql_date).not.toBeNull();
        expect(compareDates(lead.sql_date ?? '', lead.sqo_date)).toBeLessThanOrEqual(0);
        expect(compareDates(lead.sqo_date, END)).toBeLessThan(0);
      }
    }
  });

  it('keeps the true future with futureDays, consistent with the snapshot', () => {
    const snapshot = generateLeads(SHORT);
    const withFuture = generateLeads({ ...SHORT, futureDays: 90 });
    const byId = new Map(withFuture.map((lead) => [lead.lead_id, lead]));
    const future = addDays(END, 90);
    for (const lead of snapshot) {
      const truth = byId.get(lead.lead_id);
      expect(truth?.mql_date).toBe(lead.mql_date);
      // The snapshot shows exactly the true stage dates that fall before end.
      const visible = (date: string | null | undefined) => (date && date < END ? date : null);
      expect(lead.sql_date).toBe(visible(truth?.sql_date));
      expect(lead.sqo_date).toBe(visible(truth?.sqo_date));
    }
    expect(withFuture.some((lead) => lead.mql_date >= END)).toBe(true);
    expect(withFuture.some((lead) => lead.mql_date < END && (lead.sql_date ?? '') >= END)).toBe(true);
    expect(withFuture.every((lead) => lead.mql_date < future && (lead.sqo_date ?? '') < future)).toBe(true);
  });

  it('launches tiktok about two months before end and retires adroll about eight months before', () => {
    const process = demoProcess({ end: END });
    const tiktok = process.combinations.find((c) => c.source === 'tiktok');
    const adroll = process.combinations.find((c) => c.source === 'adroll');
    expect(tiktok?.launch).toBe(addDays(END, -61));
    expect(adroll?.retire).toBe(addDays(END, -243));
    const leads = generateLeads({ end: END, profile: 'large' });
    const tiktokDates = leads.filter((l) => l.original_source === 'tiktok').map((l) => l.mql_date);
    const adrollDates = leads.filter((l) => l.original_source === 'adroll').map((l) => l.mql_date);
    expect(tiktokDates.length).toBeGreaterThan(20);
    expect(adrollDates.length).toBeGreaterThan(100);
    expect(tiktokDates.every((date) => date >= (tiktok?.launch ?? ''))).toBe(true);
    expect(adrollDates.every((date) => date < (adroll?.retire ?? ''))).toBe(true);
  });

  it('splits Events / trade_show between two super-segments and keeps every other combination in one', () => {
    const leads = generateLeads({ end: END });
    const segments = new Map<string, Set<string>>();
    for (const lead of leads) {
      const key = `${lead.channel_grouping_name} / ${lead.original_source}`;
      segments.set(key, (segments.get(key) ?? new Set()).add(lead.super_segment));
    }
    expect([...(segments.get('Events / trade_show') ?? [])].sort()).toEqual(['Inbound_Marketing', 'Outbound']);
    for (const [key, set] of segments) if (key !== 'Events / trade_show') expect(set.size, key).toBe(1);
    expect(new Set(leads.map((l) => l.super_segment))).toEqual(
      new Set(['Outbound', 'Inbound_Marketing', 'Partnerships_Referrals', 'Other']),
    );
  });

  it('has far fewer leads on weekends than on weekdays', () => {
    const perDow = new Array<number>(7).fill(0);
    for (const lead of generateLeads({ end: END })) {
      const dow = calendarParts(lead.mql_date).dayOfWeek;
      perDow[dow] = (perDow[dow] ?? 0) + 1;
    }
    const weekend = ((perDow[0] ?? 0) + (perDow[6] ?? 0)) / 2;
    const weekday = perDow.slice(1, 6).reduce((s, v) => s + v, 0) / 5;
    expect(weekend).toBeLessThan(0.5 * weekday);
  });

  it('is about 6 MQLs and 2 SQLs a day in the small profile', () => {
    const leads = generateLeads({ end: END });
    const mqls = leads.length / 730;
    const sqls = leads.filter((l) => l.sql_date !== null).length / 730;
    expect(mqls).toBeGreaterThan(6 * 0.75);
    expect(mqls).toBeLessThan(6 * 1.25);
    expect(sqls).toBeGreaterThan(2 * 0.75);
    expect(sqls).toBeLessThan(2 * 1.25);
  });

  it('has tens of SQLs a day in the large profile, and scale multiplies it', () => {
    const large = generateLeadColumns({ ...SHORT, profile: 'large' });
    const scaled = generateLeadColumns({ ...SHORT, profile: 'large', scale: 2 });
    const days = 120;
    let sqls = 0;
    for (let i = 0; i < large.length; i++) if ((large.sqlDay[i] ?? 0) > 0) sqls++;
    expect(sqls / days).toBeGreaterThan(10);
    expect(scaled.length / large.length).toBeGreaterThan(1.85);
    expect(scaled.length / large.length).toBeLessThan(2.05);
  });

  it('matches the expected counts day by day on average over seeds', () => {
    const options = { end: END, start: '2025-09-01' } as const;
    const expected = expectedDailyCounts(options, options.start, END);
    const startDay = toDayNumber(options.start);
    const seeds = 12;
    const observed = { mqls: new Float64Array(expected.days), sqls: new Float64Array(expected.days), sqos: new Float64Array(expected.days) };
    const add = (series: Float64Array, date: string | null) => {
      if (date === null) return;
      const day = toDayNumber(date) - startDay;
      series[day] = (series[day] ?? 0) + 1;
    };
    for (let seed = 1; seed <= seeds; seed++) {
      for (const lead of generateLeads({ ...options, seed })) {
        add(observed.mqls, lead.mql_date);
        add(observed.sqls, lead.sql_date);
        add(observed.sqos, lead.sqo_date);
      }
    }
    const totals = sumBySegment(expected);
    for (const stage of ['mqls', 'sqls', 'sqos'] as const) {
      // Pearson's statistic of the pooled daily totals: each day is Poisson(seeds × expected), so the statistic has
      // mean ≈ days and sd ≈ √(2·days) when the expectation is right, and explodes when a calendar effect is off.
      let pearson = 0;
      let days = 0;
      for (let day = 0; day < expected.days; day++) {
        let mean = 0;
        for (const series of totals.values()) mean += (series[stage][day] ?? 0) * seeds;
        if (mean < 5) continue;
        pearson += ((observed[stage][day] ?? 0) - mean) ** 2 / mean;
        days++;
      }
      expect(days, stage).toBeGreaterThan(150);
      expect(pearson, stage).toBeLessThan(days + 6 * Math.sqrt(2 * days));
      expect(pearson, stage).toBeGreaterThan(days - 6 * Math.sqrt(2 * days));
    }
  });

  it('converts with the process lags and rates', () => {
    // Large profile, every stage visible (futureDays past the longest lags), so nothing is truncated.
    const options = { end: '2026-03-01', start: '2025-12-01', profile: 'large', futureDays: 80 } as const;
    const process = demoProcess(options);
    const leads = generateLeads(options).filter((lead) => lead.mql_date < options.end);
    const sqlLags = new Array<number>(process.sqlLag.length).fill(0);
    const sqoLags = new Array<number>(process.sqoLag.length).fill(0);
    let sqls = 0;
    let expectedSqls = 0;
    for (const lead of leads) {
      expectedSqls += process.expected(lead.mql_date, { channel: lead.channel_grouping_name, source: lead.original_source }).sqlRate;
      if (lead.sql_date === null) continue;
      sqls++;
      const lag = toDayNumber(lead.sql_date) - toDayNumber(lead.mql_date);
      sqlLags[lag] = (sqlLags[lag] ?? 0) + 1;
      if (lead.sqo_date === null) continue;
      const sqoLag = toDayNumber(lead.sqo_date) - toDayNumber(lead.sql_date);
      sqoLags[sqoLag] = (sqoLags[sqoLag] ?? 0) + 1;
    }
    expect(Math.abs(sqls - expectedSqls)).toBeLessThan(5 * Math.sqrt(expectedSqls));
    for (const [observed, pmf] of [[sqlLags, process.sqlLag], [sqoLags, process.sqoLag]] as const) {
      const n = observed.reduce((s, v) => s + v, 0);
      expect(observed).toHaveLength(pmf.length);
      for (const k of [0, 1, 3, 7, 14]) {
        const p = pmf[k] ?? 0;
        expect(Math.abs((observed[k] ?? 0) / n - p), `lag ${k}`).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / n));
      }
    }
  });

  it('reads columns without building every record', () => {
    const columns = generateLeadColumns(SHORT);
    const records: LeadRow[] = [...iterateLeads(columns)];
    expect(records).toEqual(generateLeads(SHORT));
    expect(leadAt(columns, 3)).toEqual(records[3]);
    expect(() => leadAt(columns, columns.length)).toThrow(RangeError);
    expect(new Set(records.map((r) => combinationKey({ channel: r.channel_grouping_name, source: r.original_source }))).size)
      .toBeGreaterThanOrEqual(15);
  });

  it('refuses bad options, listing every problem', () => {
    try {
      generateLeads({ end: '2026-02-30', profile: 'huge' as 'small', scale: -1 });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems.map((p) => p.where).sort()).toEqual(['end', 'profile', 'scale']);
    }
    expect(() => generateLeads({ end: END, start: END })).toThrow(ConfigError);
  });
});
