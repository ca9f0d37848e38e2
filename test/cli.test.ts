import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runCliJson, tempDir } from './support/cli.js';

const AS_OF = '2025-11-01';
const HEADER = 'lead_id,channel_grouping_name,original_source,super_segment,mql_date,sql_date,sqo_date';

interface RunRow {
  run_id: string;
  status: string;
  as_of: string;
  row_count: number | null;
  warnings: string[];
}

interface SelectionRow {
  run_id: string;
  stage: string;
  super_segment: string | null;
  candidate: string;
  weight: number;
  chosen: boolean;
}

let dir: { path: string; cleanup: () => Promise<void> };
let db: string;
/** What a landing reports, as the refresh summary and `forecast --json` both print it. */
interface LandingJson {
  stage: string;
  period: string;
  periodStart: string;
  actualToDate: number;
  forecast: number;
  landing: number;
  lower50: number;
  upper50: number;
  lower95: number;
  upper95: number;
  partial: boolean;
}

let demoSummary: {
  demo: { leads: number };
  refresh: { runId: string; rows: number; published: boolean; combinations: number; warnings: string[]; landings: LandingJson[] };
};

/** The published forecast and run list, to prove a failed command left them exactly as they were. */
async function publishedState(database: string) {
  const runs = await runCliJson<RunRow[]>(['runs', '--db', database]);
  const forecast = await runCliJson<unknown>(['forecast', '--db', database, '--by', 'month']);
  const mapping = await runCliJson<unknown>(['mapping', '--db', database]);
  return { runs: runs.json, forecast: forecast.json, mapping: mapping.json };
}

async function writeLeads(name: string, lines: readonly string[]): Promise<string> {
  const file = join(dir.path, name);
  await writeFile(file, `${lines.join('\n')}\n`);
  return file;
}

beforeAll(async () => {
  dir = await tempDir();
  db = join(dir.path, 'demo.duckdb');
  const result = await runCliJson<typeof demoSummary>(['demo', '--db', db, '--as-of', AS_OF, '--seed', '7']);
  expect(result.code, result.stderr).toBe(0);
  demoSummary = result.json;
});

afterAll(async () => {
  await dir.cleanup();
});

describe('funnelcast demo', () => {
  it('generates two years of leads and publishes a forecast', () => {
    expect(demoSummary.demo.leads).toBeGreaterThan(3000);
    expect(demoSummary.refresh.published).toBe(true);
    expect(demoSummary.refresh.combinations).toBeGreaterThanOrEqual(12);
    expect(demoSummary.refresh.runId).toMatch(/^fc_20251101_/);
  });

  it('prints a readable summary without --json', async () => {
    const other = join(dir.path, 'readable.duckdb');
    const result = await runCli(['demo', '--db', other, '--as-of', AS_OF, '--horizon', '30']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Published run fc_20251101_');
    expect(result.stdout).toContain('Where we land');
    expect(result.stdout).toMatch(/SQLs/);
  });

  it('generates the messy profiles: ramp with 300 days of history, sparse with 200+ combinations', async () => {
    const run = (profile: string) =>
      runCliJson<{ demo: { firstDate: string; combinations: number } }>(['demo', '--db', join(dir.path, `${profile}.duckdb`), '--as-of', AS_OF, '--profile', profile, '--dry-run', '--horizon', '30']);
    const ramp = await run('ramp');
    expect(ramp.code, ramp.stderr).toBe(0);
    expect(ramp.json.demo.firstDate).toBe('2025-01-05');
    const sparse = await run('sparse');
    expect(sparse.code, sparse.stderr).toBe(0);
    expect(sparse.json.demo.combinations).toBeGreaterThanOrEqual(200);
  });
});

describe('funnelcast refresh', () => {
  it('production is the newest as-of date: an older one is kept for tracking, a rerun of the newest replaces it', async () => {
    const other = join(dir.path, 'production.duckdb');
    const demo = await runCliJson<{ refresh: { runId: string } }>(['demo', '--db', other, '--as-of', AS_OF, '--horizon', '30']);
    expect(demo.code, demo.stderr).toBe(0);
    const november = demo.json.refresh.runId;
    const october = await runCli(['refresh', '--db', other, '--as-of', '2025-10-01', '--horizon', '30']);
    expect(october.code, october.stderr).toBe(0);
    expect(october.stdout).toContain(`not production: kept for tracking; production stays run ${november} as of ${AS_OF}`);
    const rerun = await runCliJson<{ runId: string; production: boolean }>(['refresh', '--db', other, '--as-of', AS_OF, '--horizon', '30']);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(rerun.json.production).toBe(true);
    // Each execution its own id: the earlier runs stay listed.
    expect(rerun.json.runId).not.toBe(november);
    const runs = await runCliJson<(RunRow & { production: boolean })[]>(['runs', '--db', other]);
    expect(runs.json.map((r) => [r.as_of, r.status, r.production])).toEqual([
      [AS_OF, 'published', true],
      ['2025-10-01', 'published', false],
      [AS_OF, 'published', false],
    ]);
    expect(runs.json[0]?.run_id).toBe(rerun.json.runId);
  });

  it('--dry-run validates and publishes nothing', async () => {
    const before = await publishedState(db);
    const result = await runCliJson<{ published: boolean; rows: number }>(['refresh', '--db', db, '--as-of', '2025-10-15', '--dry-run']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.json.published).toBe(false);
    expect(result.json.rows).toBeGreaterThan(0);
    expect(await publishedState(db)).toEqual(before);
  });

  it.each([
    ['0', /horizon/],
    ['1001', /horizon/],
  ])('refuses --horizon %s with a usage error and keeps the forecast', async (horizon, pattern) => {
    const before = await publishedState(db);
    const result = await runCli(['refresh', '--db', db, '--as-of', AS_OF, '--horizon', horizon]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(pattern);
    expect(await publishedState(db)).toEqual(before);
  });

  it('stale data: a refresh past the data\'s last day forecasts from the day after it, says so, and lands as that as-of date does', async () => {
    const stale = join(dir.path, 'stale.duckdb');
    const demo = await runCli(['demo', '--db', stale, '--as-of', '2026-12-01', '--dry-run', '--horizon', '31']);
    expect(demo.code, demo.stderr).toBe(0);
    type Summary = { runId: string; asOf: string; requestedAsOf: string; horizon: number; dataEnd: { lastDay: string; stale: boolean }; landings: LandingJson[]; warnings: string[] };
    const fresh = await runCliJson<Summary>(['refresh', '--db', stale, '--as-of', '2026-12-01', '--horizon', '31', '--dry-run']);
    // Five days later, the same end date: the silent days are forecast, so December lands exactly where it did.
    const late = await runCliJson<Summary>(['refresh', '--db', stale, '--as-of', '2026-12-06', '--horizon', '26', '--dry-run']);
    expect(late.code, late.stderr).toBe(0);
    expect(fresh.json.requestedAsOf).toBe(fresh.json.asOf);
    expect(late.json).toMatchObject({ requestedAsOf: '2026-12-06', asOf: '2026-12-01', horizon: 31, dataEnd: { lastDay: '2026-11-30', stale: true } });
    for (const summary of [fresh, late]) expect(summary.json.runId).toMatch(/^fc_20261201_/);
    expect(late.json.landings).toEqual(fresh.json.landings);
    expect(late.json.warnings.some((w) => w.startsWith('stale data: the leads end on 2026-11-30'))).toBe(true);
    const text = await runCli(['refresh', '--db', stale, '--as-of', '2026-12-06', '--horizon', '26', '--dry-run']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('stale data: asked for 2026-12-06, but the data ends on 2026-11-30: forecast from 2026-12-01');
    expect(text.stdout).toMatch(/^ {2}models, chosen by backtest at \d+ origins/m);
    expect(text.stdout).toMatch(/^Warnings\n {2}! stale data: the leads end on 2026-11-30/m);
  });

  it('refuses an as-of date with no history before it', async () => {
    const before = await publishedState(db);
    const result = await runCli(['refresh', '--db', db, '--as-of', '2000-01-01']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/no history before the as-of date 2000-01-01/);
    expect(await publishedState(db)).toEqual(before);
  });

  it('refuses an unknown super-segment in the config, naming the key', async () => {
    const config = join(dir.path, 'unknown-segment.yaml');
    await writeFile(config, 'superSegments: [Outbound, Inbound_Marketing, Partnerships_Referrals, Other, Moonshots]\n');
    const before = await publishedState(db);
    const result = await runCli(['refresh', '--db', db, '--as-of', AS_OF, '--config', config]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/Moonshots/);
    expect(result.stderr).toMatch(/superSegments/);
    expect(await publishedState(db)).toEqual(before);
  });

  it('refuses a config key it does not know, listing the key', async () => {
    const config = join(dir.path, 'typo.yaml');
    await writeFile(config, 'horizen: 30\n');
    const result = await runCli(['refresh', '--db', db, '--config', config]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/horizen/);
  });
});

describe('funnelcast forecast, mapping, runs', () => {
  it('forecast --json gives landings per month and stage with ordered intervals', async () => {
    const result = await runCliJson<{ landings: { periodStart: string; stage: string; landing: number; lower95: number; lower50: number; upper50: number; upper95: number }[] }>(
      ['forecast', '--db', db, '--by', 'month'],
    );
    expect(result.code, result.stderr).toBe(0);
    const november = result.json.landings.filter((l) => l.periodStart === '2025-11-01');
    expect(november.map((l) => l.stage)).toEqual(['mqls', 'sqls', 'sqos']);
    for (const l of result.json.landings) {
      expect(l.lower95).toBeLessThanOrEqual(l.lower50 + 1e-9);
      expect(l.lower50).toBeLessThanOrEqual(l.landing + 1e-9);
      expect(l.landing).toBeLessThanOrEqual(l.upper50 + 1e-9);
      expect(l.upper50).toBeLessThanOrEqual(l.upper95 + 1e-9);
    }
  });

  it('forecast lands the month and quarter of the as-of date exactly where the refresh summary did', async () => {
    const fromForecast: LandingJson[] = [];
    for (const by of ['month', 'quarter']) {
      const result = await runCliJson<{ landings: LandingJson[] }>(['forecast', '--db', db, '--by', by]);
      expect(result.code, result.stderr).toBe(0);
      fromForecast.push(...result.json.landings.filter((l) => l.periodStart === (by === 'month' ? AS_OF : '2025-10-01')));
    }
    const summary = demoSummary.refresh.landings;
    expect(summary.map((l) => `${l.period} ${l.periodStart} ${l.stage}`)).toEqual(fromForecast.map((l) => `${l.period} ${l.periodStart} ${l.stage}`));
    expect(summary).toHaveLength(6);
    summary.forEach((l, i) => {
      const other = fromForecast[i]!;
      expect(other.partial).toBe(l.partial);
      for (const field of ['actualToDate', 'forecast', 'landing', 'lower50', 'upper50', 'lower95', 'upper95'] as const) {
        expect(other[field], `${l.period} ${l.stage} ${field}`).toBeCloseTo(l[field], 6);
      }
    });
    // The quarter of a 90-day horizon from 2025-11-01 ends inside it; the month too.
    expect(summary.every((l) => !l.partial)).toBe(true);
  });

  it('forecast --csv prints a header and one line per period and stage', async () => {
    const result = await runCli(['forecast', '--db', db, '--by', 'quarter', '--csv']);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toBe('period,stage,actual,forecast,landing,lower_50,upper_50,lower_95,upper_95,partial');
    expect(lines.length - 1).toBeGreaterThanOrEqual(9);
  });

  it('mapping shares of each segment sum to 1', async () => {
    const result = await runCliJson<{ super_segment: string; normalized_fraction: number; weight_method: string }[]>(['mapping', '--db', db]);
    expect(result.code, result.stderr).toBe(0);
    const sums = new Map<string, number>();
    for (const row of result.json) sums.set(row.super_segment, (sums.get(row.super_segment) ?? 0) + row.normalized_fraction);
    expect([...sums.keys()].sort()).toEqual(['Inbound_Marketing', 'Other', 'Outbound', 'Partnerships_Referrals']);
    for (const sum of sums.values()) expect(sum).toBeCloseTo(1, 9);
  });

  it('mapping --segment lists the known segments when the name is unknown', async () => {
    const result = await runCli(['mapping', '--db', db, '--segment', 'Nope']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Unknown super-segment "Nope"; known: Inbound_Marketing, Other, Outbound, Partnerships_Referrals/);
  });

  it('runs lists the published run with the warnings its refresh reported, as an array', async () => {
    const result = await runCliJson<RunRow[]>(['runs', '--db', db]);
    expect(result.code).toBe(0);
    const run = result.json.find((r) => r.run_id === demoSummary.refresh.runId);
    expect(run?.status).toBe('published');
    expect(run?.warnings).toEqual(demoSummary.refresh.warnings);
    for (const listed of result.json) expect(listed).not.toHaveProperty('warnings_json');
  });

  it('runs prints each warning indented under its run', async () => {
    const result = await runCli(['runs', '--db', db]);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    const at = lines.findIndex((line) => line.startsWith(demoSummary.refresh.runId));
    expect(at).toBeGreaterThan(1);
    const warnings = demoSummary.refresh.warnings.map((warning) => `    ! ${warning}`);
    expect(lines.slice(at + 1, at + 1 + warnings.length)).toEqual(warnings);
    expect(lines[at + 1 + warnings.length] ?? '').not.toMatch(/^ {4}! /);
  });

  it('models shows the published run\'s candidates: one chosen per stage × super-segment, weights summing to 1', async () => {
    const result = await runCliJson<SelectionRow[]>(['models', '--db', db]);
    expect(result.code, result.stderr).toBe(0);
    const groups = new Map<string, SelectionRow[]>();
    for (const row of result.json) {
      expect(row.run_id).toBe(demoSummary.refresh.runId);
      const key = `${row.stage} ${row.super_segment ?? ''}`;
      groups.set(key, [...(groups.get(key) ?? []), row]);
    }
    for (const rows of groups.values()) {
      expect(rows.filter((row) => row.chosen)).toHaveLength(1);
      expect(rows.reduce((sum, row) => sum + row.weight, 0)).toBeCloseTo(1, 9);
    }
    const text = await runCli(['models', '--db', db]);
    expect(text.code, text.stderr).toBe(0);
    if (result.json.length === 0) expect(text.stdout).toMatch(/^No model selection published/);
    else for (const row of result.json) expect(text.stdout).toContain(row.candidate);
  });

  it('models --stage keeps one stage and refuses a stage that is not chosen by backtest', async () => {
    const sqls = await runCliJson<SelectionRow[]>(['models', '--db', db, '--stage', 'sqls']);
    expect(sqls.code, sqls.stderr).toBe(0);
    for (const row of sqls.json) expect(row.stage).toBe('sqls');
    const sqos = await runCli(['models', '--db', db, '--stage', 'sqos']);
    expect(sqos.code).toBe(2);
    expect(sqos.stderr).toMatch(/mqls.*sqls/);
  });

  it('an unknown command is a usage error with a suggestion', async () => {
    const result = await runCli(['refrsh']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Did you mean refresh/);
  });
});

describe('funnelcast import', () => {
  const good = [
    HEADER,
    'L1,Paid Search,google,Inbound_Marketing,2025-01-02,2025-01-05,2025-01-20',
    'L2,Paid Search,google,Inbound_Marketing,2025-01-03,,',
    'L3,Outbound,sales_prospecting,Outbound,2025-01-03,2025-01-03,',
  ];

  it('imports a valid file', async () => {
    const target = join(dir.path, 'import-ok.duckdb');
    const file = await writeLeads('ok.csv', good);
    const result = await runCliJson<Record<string, unknown>>(['import', file, '--db', target]);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.stringify(result.json)).toMatch(/3/);
  });

  const bad: [string, readonly string[], RegExp][] = [
    ['a missing column', [HEADER.replace(',sqo_date', ''), 'L1,Paid Search,google,Inbound_Marketing,2025-01-02,2025-01-05'], /sqo_date/],
    ['a NULL key', [HEADER, 'L1,,google,Inbound_Marketing,2025-01-02,,'], /channel_grouping_name/],
    ['an unparseable date', [HEADER, 'L1,Paid Search,google,Inbound_Marketing,2025-13-45,,'], /mql_date/],
    ['sql_date before mql_date', [HEADER, 'L1,Paid Search,google,Inbound_Marketing,2025-01-10,2025-01-02,'], /sql_date/],
    ['sqo_date before sql_date', [HEADER, 'L1,Paid Search,google,Inbound_Marketing,2025-01-02,2025-01-10,2025-01-05'], /sqo_date/],
    ['a duplicate lead_id', [HEADER, 'L1,Paid Search,google,Inbound_Marketing,2025-01-02,,', 'L1,Paid Search,bing,Inbound_Marketing,2025-01-03,,'], /L1|duplicate/i],
    ['an empty file', [HEADER], /empty|no data rows|no leads/i],
    ['a column outside the contract', [`${HEADER},owner`, 'L1,Paid Search,google,Inbound_Marketing,2025-01-02,,,ann'], /owner.*not part of the leads contract/],
    ['a date after today', [HEADER, 'L1,Paid Search,google,Inbound_Marketing,2025-01-02,2204-01-05,'], /sql_date.*after today/],
  ];

  it.each(bad)('refuses %s, names it, and leaves the published forecast as it was', async (_name, lines, pattern) => {
    const file = await writeLeads(`bad-${_name.replace(/\W+/g, '-')}.csv`, lines);
    const before = await publishedState(db);
    const result = await runCli(['import', file, '--db', db]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(file.split('/').pop()!);
    expect(result.stderr).toMatch(pattern);
    expect(await publishedState(db)).toEqual(before);
  });

  it('refuses a missing file', async () => {
    const result = await runCli(['import', join(dir.path, 'nope.csv'), '--db', db]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/nope\.csv/);
  });

  it('--json errors are pure JSON with the problems', async () => {
    const file = await writeLeads('bad-json.csv', [HEADER, 'L1,Paid Search,google,Inbound_Marketing,not-a-date,,']);
    const result = await runCliJson<{ error: { code: string; problems: { where: string; message: string }[] } }>(['import', file, '--db', db]);
    expect(result.code).toBe(1);
    expect(result.json.error.code).toBe('INPUT_INVALID');
    expect(result.json.error.problems.some((p) => /mql_date/.test(p.where + p.message))).toBe(true);
  });
});
