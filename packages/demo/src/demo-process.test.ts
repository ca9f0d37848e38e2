import { DEFAULT_SUPER_SEGMENTS, NotFoundError, addDays, combinationKey, toDayNumber } from '@funnelcast/core';
import { describe, expect, it } from 'vitest';
import { demoProcess } from './demo-process.js';
import { usHolidayDays } from './us-holidays.js';

const END = '2026-06-01';

describe('demoProcess', () => {
  const process = demoProcess({ end: END });

  it('has 15–20 realistic combinations over the four super-segments', () => {
    expect(process.combinations.length).toBeGreaterThanOrEqual(15);
    expect(process.combinations.length).toBeLessThanOrEqual(20);
    expect(new Set(process.combinations.map(combinationKey)).size).toBe(process.combinations.length);
    expect(new Set(process.cells.map((c) => c.superSegment))).toEqual(new Set(DEFAULT_SUPER_SEGMENTS));
    for (const combination of process.combinations) {
      expect(combination.segments.reduce((s, seg) => s + seg.share, 0)).toBeCloseTo(1, 12);
    }
    expect(process.combinations.filter((c) => c.segments.length === 2).map((c) => `${c.channel} / ${c.source}`)).toEqual([
      'Events / trade_show',
    ]);
    expect(process.combinations.filter((c) => c.sparse).length).toBeGreaterThanOrEqual(2);
  });

  it('has lag pmfs over 0–30 and 0–45 days that sum to 1', () => {
    expect(process.sqlLag).toHaveLength(31);
    expect(process.sqoLag).toHaveLength(46);
    for (const pmf of [process.sqlLag, process.sqoLag]) {
      expect(pmf.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 12);
      expect(pmf.every((p) => p >= 0)).toBe(true);
    }
  });

  it('dips on weekends, US holidays, in summer and in late December', () => {
    const google = { channel: 'Paid Search', source: 'google' };
    const mqls = (date: string) => process.expected(date, google).mqls;
    // Thursdays a week apart, around Thanksgiving 2025 (27 Nov).
    expect(mqls('2025-11-27')).toBeLessThan(0.4 * mqls('2025-11-20'));
    expect(mqls('2025-11-22')).toBeLessThan(0.6 * mqls('2025-11-19')); // Saturday vs Wednesday
    expect(mqls('2025-12-30')).toBeLessThan(0.75 * mqls('2025-12-09')); // Tuesdays
    expect(mqls('2025-08-05')).toBeLessThan(0.9 * mqls('2025-05-06')); // Tuesdays
  });

  it('knows the US holidays', () => {
    expect(usHolidayDays(2025)).toEqual(
      ['2025-01-01', '2025-05-26', '2025-07-04', '2025-09-01', '2025-11-27', '2025-11-28', '2025-12-25'].map(toDayNumber),
    );
  });

  it('has no MQLs before start, before a launch or from a retirement on', () => {
    const tiktok = process.combinations.find((c) => c.source === 'tiktok');
    const adroll = process.combinations.find((c) => c.source === 'adroll');
    if (!tiktok?.launch || !adroll?.retire) throw new Error('demo lost its launched or retired channel');
    expect(process.expected(addDays(tiktok.launch, -1), tiktok).mqls).toBe(0);
    expect(process.expected(addDays(tiktok.launch, 30), tiktok).mqls).toBeGreaterThan(0);
    expect(process.expected(adroll.retire, adroll).mqls).toBe(0);
    expect(process.expected(addDays(adroll.retire, -60), adroll).mqls).toBeGreaterThan(0);
    expect(process.expected(addDays(process.start, -1), { channel: 'Direct', source: 'direct' }).mqls).toBe(0);
  });

  it('drifts the channel mix slowly', () => {
    const share = (date: string) => {
      const total = process.combinations.reduce((s, c) => s + process.expected(date, c).mqls, 0);
      return process.expected(date, { channel: 'Paid Social', source: 'linkedin' }).mqls / total;
    };
    const a = share('2024-06-05');
    const b = share('2025-03-05');
    expect(Math.abs(a / b - 1)).toBeGreaterThan(0.05);
    expect(Math.abs(share('2025-03-04') / b - 1)).toBeLessThan(0.05);
  });

  it('does not depend on the seed and scales with profile and scale', () => {
    const date = '2026-03-03';
    const combo = { channel: 'Organic Search', source: 'google' };
    expect(demoProcess({ end: END, seed: 1 }).expected(date, combo)).toEqual(process.expected(date, combo));
    const large = demoProcess({ end: END, profile: 'large', scale: 2 }).expected(date, combo);
    expect(large.mqls / process.expected(date, combo).mqls).toBeCloseTo(24, 9);
    const sparse = { channel: 'Other', source: 'unknown' };
    expect(demoProcess({ end: END, profile: 'large' }).expected(date, sparse).mqls).toBe(process.expected(date, sparse).mqls);
  });

  it('names the known combinations when asked for an unknown one', () => {
    expect(() => process.expected(END, { channel: 'Nope', source: 'x' })).toThrow(NotFoundError);
  });
});
