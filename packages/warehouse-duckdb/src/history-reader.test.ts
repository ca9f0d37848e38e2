import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addDays, createRng, type HistoryRequest, type LeadRow } from '@funnelcast/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDuckDbWarehouse, type DuckDbWarehouse } from './index.js';

let dir: string;
let warehouse: DuckDbWarehouse;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'funnelcast-history-reader-'));
  warehouse = await createDuckDbWarehouse({ path: join(dir, 'w.duckdb') });
});

afterEach(async () => {
  await warehouse.close();
  await rm(dir, { recursive: true, force: true });
});

const GRAINS = [
  ['Outbound', 'Paid Search', 'google'],
  ['Outbound', 'Events', 'expo'],
  ['Inbound_Marketing', 'Web', 'organic'],
  ['Inbound_Marketing', 'Web', 'referral'],
] as const;

/**
 * Leads over 2024 drawn from a seeded generator: several a day in some grains, none for weeks in another, SQLs 0–120
 * days after their MQL and SQOs 0–90 days after their SQL (lags beyond every window's longest, conversions after
 * every as-of date), and leads sharing a day, a grain and a next stage's date.
 */
function generatedLeads(prefix: string, count: number, seed: number): LeadRow[] {
  const next = createRng(seed);
  return Array.from({ length: count }, (_, i) => {
    const g = Math.floor(next() * GRAINS.length);
    const [segment, channel, source] = GRAINS[g]!;
    // The last grain goes quiet for the summer: spans and empty windows differ by as-of date.
    const day = Math.floor(next() * 366);
    const mql = addDays('2024-01-01', g === 3 && day > 150 && day < 240 ? day - 100 : day);
    const sql = next() < 0.45 ? addDays(mql, Math.floor(next() ** 2 * 120)) : null;
    const sqo = sql !== null && next() < 0.5 ? addDays(sql, Math.floor(next() ** 3 * 90)) : null;
    return { lead_id: `${prefix}${i}`, channel_grouping_name: channel, original_source: source, super_segment: segment, mql_date: mql, sql_date: sql, sqo_date: sqo };
  });
}

/** A request at `asOf` shaped like a refresh's, its windows scaled by `scale` (long, short, degenerate). */
function requestAt(asOf: string, scale: number): HistoryRequest {
  const window = (maxLagDays: number, windowDays: number) => {
    const cohortEnd = addDays(asOf, -maxLagDays);
    return { cohortStart: addDays(cohortEnd, -windowDays), cohortEnd, maxLagDays };
  };
  return {
    asOf,
    since: addDays(asOf, -Math.round(200 * scale)),
    conversion: {
      ...window(Math.max(1, Math.round(30 * scale)), Math.max(1, Math.round(120 * scale))),
      mqlToSql: { ...window(Math.max(1, Math.round(45 * scale)), Math.max(1, Math.round(90 * scale))), lookBackDays: Math.max(1, Math.round(60 * scale)) },
    },
  };
}

// Before any lead, early, mid-year, just after a quiet spell, at the end of the leads and after it.
const AS_OF_DATES = ['2023-12-01', '2024-01-02', '2024-02-15', '2024-05-01', '2024-07-20', '2024-09-03', '2024-11-30', '2025-01-01', '2025-06-01'];
const REQUESTS = AS_OF_DATES.flatMap((asOf) => [1, 0.25, 3].map((scale) => requestAt(asOf, scale)));

describe('history reader', () => {
  it('reads exactly what readHistory reads, at every as-of date and window', async () => {
    await warehouse.insertLeads(generatedLeads('G', 3000, 14));
    const reader = warehouse.historyReader();
    try {
      for (const request of REQUESTS) {
        const plain = await warehouse.readHistory(request);
        // The data reaches every part of a history somewhere, so equality is not of empty results.
        expect(await reader.readHistory(request), request.asOf).toStrictEqual(plain);
      }
    } finally {
      await reader.close();
    }
    const full = await warehouse.readHistory(requestAt('2025-01-01', 1));
    expect(full.conversion?.lagCounts.some((n) => n > 0) && full.conversion.openSqls.length > 0 && full.conversion.mqlToSql.laterSqls > 0).toBe(true);
  });

  it('reads the leads as they were at its first read; a reader opened after a load reads the loaded leads', async () => {
    await warehouse.insertLeads(generatedLeads('A', 500, 1));
    const request = requestAt('2024-10-01', 1);
    const before = await warehouse.readHistory(request);
    const early = warehouse.historyReader();
    try {
      expect(await early.readHistory(request)).toStrictEqual(before);
      await warehouse.insertLeads(generatedLeads('B', 500, 2));
      expect(await early.readHistory(request)).toStrictEqual(before);
    } finally {
      await early.close();
    }
    const after = await warehouse.readHistory(request);
    expect(after).not.toStrictEqual(before);
    const late = warehouse.historyReader();
    try {
      expect(await late.readHistory(request)).toStrictEqual(after);
    } finally {
      await late.close();
    }
  });

  it('reads no history from a warehouse without leads', async () => {
    const reader = warehouse.historyReader();
    try {
      expect(await reader.readHistory(requestAt('2024-06-01', 1))).toStrictEqual(await warehouse.readHistory(requestAt('2024-06-01', 1)));
    } finally {
      await reader.close();
    }
  });
});
