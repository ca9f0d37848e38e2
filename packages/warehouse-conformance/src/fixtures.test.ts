import { daysBetween } from '@funnelcast/core';
import { describe, expect, it } from 'vitest';
import { EXPECTED_HISTORY, HISTORY_REQUEST, LEADS, productionRows, recountMqlToSql, selectionRows, sortHistory } from './fixtures.js';

// A plain recount of the hand-worked answer, so a slip in EXPECTED_HISTORY cannot pass as an adapter bug.
describe('conformance fixtures', () => {
  const { asOf, since, conversion } = HISTORY_REQUEST;

  it('daily counts of EXPECTED_HISTORY match a recount of LEADS', () => {
    const counts = new Map<string, { mqls: number; sqls: number; sqos: number }>();
    for (const lead of LEADS) {
      const events = [['mqls', lead.mql_date], ['sqls', lead.sql_date], ['sqos', lead.sqo_date]] as const;
      for (const [stage, date] of events) {
        if (date === null || date < since || date >= asOf) continue;
        const key = [date, lead.super_segment, lead.channel_grouping_name, lead.original_source].join('|');
        const entry = counts.get(key) ?? { mqls: 0, sqls: 0, sqos: 0 };
        entry[stage] += 1;
        counts.set(key, entry);
      }
    }
    const daily = [...counts].map(([key, c]) => {
      const [date, superSegment, channel, source] = key.split('|');
      return { date, superSegment, channel, source, ...c };
    });
    expect(sortHistory({ ...EXPECTED_HISTORY, daily: daily as typeof EXPECTED_HISTORY.daily }).daily).toEqual(
      EXPECTED_HISTORY.daily,
    );
  });

  it('lags and open SQLs of EXPECTED_HISTORY match a recount of LEADS', () => {
    const lags = Array.from({ length: conversion.maxLagDays + 1 }, () => 0);
    const open: number[] = [];
    for (const { sql_date: sql, sqo_date: sqo } of LEADS) {
      if (sql === null || sql >= asOf) continue;
      const inCohort = sql >= conversion.cohortStart && sql < conversion.cohortEnd;
      if (inCohort && sqo !== null && sqo < asOf) lags[daysBetween(sql, sqo)]! += 1;
      if (daysBetween(sql, asOf) <= conversion.maxLagDays && (sqo === null || sqo >= asOf)) open.push(daysBetween(sql, asOf));
    }
    expect(lags).toEqual(EXPECTED_HISTORY.conversion?.lagCounts);
    expect(open.sort((a, b) => a - b)).toEqual(EXPECTED_HISTORY.conversion?.openSqls.map((o) => o.ageDays).sort((a, b) => a - b));
  });

  it('MQL→SQL facts of EXPECTED_HISTORY match the recount the conformance suite trusts', () => {
    expect(recountMqlToSql(LEADS, HISTORY_REQUEST)).toEqual(EXPECTED_HISTORY.conversion?.mqlToSql);
  });

  it('production rows keep the published order of bounds and combine actuals with forecasts', () => {
    for (const row of productionRows('r', '2024-03-01')) {
      if (row.data_type === 'ACTUAL') expect(row.sqls_combined).toBe(row.sqls_actual);
      else {
        const { sqls_lower_95: l95, sqls_lower_50: l50, sqls_forecast: f, sqls_upper_50: u50, sqls_upper_95: u95 } = row;
        expect([l95, l50, f, u50, u95]).toEqual([...[l95, l50, f, u50, u95]].sort((a, b) => (a ?? 0) - (b ?? 0)));
        expect(row.sqls_combined).toBe(f);
      }
    }
  });
});

describe('selection fixture', () => {
  it('weights of each stage × super-segment sum to 1, with one chosen candidate', () => {
    const groups = new Map<string, ReturnType<typeof selectionRows>>();
    for (const row of selectionRows('run-a')) {
      const key = `${row.stage}|${row.super_segment ?? ''}`;
      groups.set(key, [...(groups.get(key) ?? []), row]);
    }
    expect(groups.size).toBe(3);
    for (const rows of groups.values()) {
      expect(rows.reduce((sum, r) => sum + r.weight, 0)).toBe(1);
      expect(rows.filter((r) => r.chosen)).toHaveLength(1);
    }
  });
});
