import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, copyFile, mkdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { dirname, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli, runCliJson, tempDir, type CliResult } from './support/cli.js';

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
/** A row of `forecast --json`, as the refresh summary's `landings` print it too (there, channel and source null). */
interface ForecastRowJson {
  period: string;
  period_start: string;
  partial: boolean;
  channel: string | null;
  source: string | null;
  stage: string;
  actual: number;
  forecast: number;
  landing: number;
  lower_50: number;
  upper_50: number;
  lower_95: number;
  upper_95: number;
}

let demoSummary: {
  demo: { leads: number };
  refresh: { run_id: string; rows: number; published: boolean; combinations: number; warnings: string[]; landings: ForecastRowJson[] };
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
    expect(demoSummary.refresh.run_id).toMatch(/^fc_20251101_/);
  });

  it('prints a readable summary without --json', async () => {
    const other = join(dir.path, 'readable.duckdb');
    const result = await runCli(['demo', '--db', other, '--as-of', AS_OF, '--horizon', '30']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Published run fc_20251101_');
    expect(result.stdout).toContain('Where we land');
    expect(result.stdout).toMatch(/SQLs/);
    // The small profile retires Display / adroll eight months before the end: the two counts say which is which.
    expect(result.stderr).toContain('over 19 Channel × Source combinations');
    expect(result.stderr).toContain('; 18 are forecast, the other 1 had no lead in the last 180 days (mapping.windowDays).');
    expect(result.stdout).toContain('18 active Channel × Source combinations');
  });

  it('generates the messy profiles: ramp with 300 days of history, sparse with 200+ combinations', async () => {
    const run = (profile: string) =>
      runCliJson<{ demo: { first_date: string; combinations: number } }>(['demo', '--db', join(dir.path, `${profile}.duckdb`), '--as-of', AS_OF, '--profile', profile, '--dry-run', '--horizon', '30']);
    const ramp = await run('ramp');
    expect(ramp.code, ramp.stderr).toBe(0);
    expect(ramp.json.demo.first_date).toBe('2025-01-05');
    const sparse = await run('sparse');
    expect(sparse.code, sparse.stderr).toBe(0);
    expect(sparse.json.demo.combinations).toBeGreaterThanOrEqual(200);
  });
});

describe('funnelcast refresh', () => {
  it('production is the newest as-of date: an older one is kept for tracking, a rerun of the newest replaces it', async () => {
    const other = join(dir.path, 'production.duckdb');
    const demo = await runCliJson<{ refresh: { run_id: string } }>(['demo', '--db', other, '--as-of', AS_OF, '--horizon', '30']);
    expect(demo.code, demo.stderr).toBe(0);
    const november = demo.json.refresh.run_id;
    const october = await runCli(['refresh', '--db', other, '--as-of', '2025-10-01', '--horizon', '30']);
    expect(october.code, october.stderr).toBe(0);
    expect(october.stdout).toContain(`not production: kept for tracking; production stays run ${november} as of ${AS_OF}`);
    const rerun = await runCliJson<{ run_id: string; production: boolean }>(['refresh', '--db', other, '--as-of', AS_OF, '--horizon', '30']);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(rerun.json.production).toBe(true);
    // Each execution its own id: the earlier runs stay listed.
    expect(rerun.json.run_id).not.toBe(november);
    const runs = await runCliJson<(RunRow & { production: boolean })[]>(['runs', '--db', other]);
    expect(runs.json.map((r) => [r.as_of, r.status, r.production])).toEqual([
      [AS_OF, 'published', true],
      ['2025-10-01', 'published', false],
      [AS_OF, 'published', false],
    ]);
    expect(runs.json[0]?.run_id).toBe(rerun.json.run_id);
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

  it('fitting on two threads publishes the very forecast one thread does', async () => {
    const copy = join(dir.path, 'threads.duckdb');
    await copyFile(db, copy);
    const published = async (threads: string) => {
      const run = await runCliJson<{ selection: unknown }>(['refresh', '--db', copy, '--as-of', '2025-10-01', '--threads', threads]);
      expect(run.code, run.stderr).toBe(0);
      const rows = await runCliJson<ForecastRowJson[]>(['forecast', '--db', copy, '--by', 'day']);
      expect(rows.json.length).toBeGreaterThan(1000);
      return { selection: run.json.selection, rows: rows.json };
    };
    const one = await published('1');
    expect(await published('2')).toEqual(one);
  });

  it.each(['0', '1.5'])('refuses --threads %s, naming the option', async (threads) => {
    const result = await runCli(['refresh', '--db', db, '--as-of', AS_OF, '--threads', threads]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/threads: .* a whole number of threads from 1 to 64/);
  });

  it('stale data: a refresh past the data\'s last day forecasts from the day after it, says so, and lands as that as-of date does', async () => {
    const stale = join(dir.path, 'stale.duckdb');
    const demo = await runCli(['demo', '--db', stale, '--as-of', '2026-12-01', '--dry-run', '--horizon', '31']);
    expect(demo.code, demo.stderr).toBe(0);
    type Summary = { run_id: string; as_of: string; requested_as_of: string; horizon: number; data_end: { last_day: string; stale: boolean }; landings: ForecastRowJson[]; warnings: string[] };
    const fresh = await runCliJson<Summary>(['refresh', '--db', stale, '--as-of', '2026-12-01', '--horizon', '31', '--dry-run']);
    // Five days later, the same end date: the silent days are forecast, so December lands exactly where it did.
    const late = await runCliJson<Summary>(['refresh', '--db', stale, '--as-of', '2026-12-06', '--horizon', '26', '--dry-run']);
    expect(late.code, late.stderr).toBe(0);
    expect(fresh.json.requested_as_of).toBe(fresh.json.as_of);
    expect(late.json).toMatchObject({ requested_as_of: '2026-12-06', as_of: '2026-12-01', horizon: 31, data_end: { last_day: '2026-11-30', stale: true } });
    for (const summary of [fresh, late]) expect(summary.json.run_id).toMatch(/^fc_20261201_/);
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
  it('forecast --json gives rows per month, Channel × Source and stage from the month of the as-of date, with ordered intervals', async () => {
    const result = await runCliJson<ForecastRowJson[]>(['forecast', '--db', db, '--by', 'month']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.json[0]?.period).toBe('2025-11');
    const first = result.json.filter((l) => l.period === '2025-11' && l.channel === result.json[0]!.channel && l.source === result.json[0]!.source);
    expect(first.map((l) => l.stage)).toEqual(['mqls', 'sqls', 'sqos']);
    expect(new Set(result.json.map((l) => `${l.channel} / ${l.source}`)).size).toBe(demoSummary.refresh.combinations);
    for (const l of result.json) {
      expect(l.lower_95).toBeLessThanOrEqual(l.lower_50 + 1e-9);
      expect(l.lower_50).toBeLessThanOrEqual(l.landing + 1e-9);
      expect(l.landing).toBeLessThanOrEqual(l.upper_50 + 1e-9);
      expect(l.upper_50).toBeLessThanOrEqual(l.upper_95 + 1e-9);
    }
  });

  it('forecast --total lands the month and quarter of the as-of date exactly where the refresh summary did', async () => {
    const fromForecast: ForecastRowJson[] = [];
    for (const [by, period] of [['month', '2025-11'], ['quarter', '2025-Q4']] as const) {
      const result = await runCliJson<ForecastRowJson[]>(['forecast', '--db', db, '--by', by, '--total']);
      expect(result.code, result.stderr).toBe(0);
      fromForecast.push(...result.json.filter((l) => l.period === period));
    }
    const summary = demoSummary.refresh.landings;
    expect(summary.map((l) => `${l.period} ${l.period_start} ${l.stage}`)).toEqual(fromForecast.map((l) => `${l.period} ${l.period_start} ${l.stage}`));
    expect(summary).toHaveLength(6);
    summary.forEach((l, i) => {
      const other = fromForecast[i]!;
      expect(other.partial).toBe(l.partial);
      expect([other.channel, other.source, l.channel, l.source]).toEqual([null, null, null, null]);
      for (const field of ['actual', 'forecast', 'landing', 'lower_50', 'upper_50', 'lower_95', 'upper_95'] as const) {
        expect(other[field], `${l.period} ${l.stage} ${field}`).toBeCloseTo(l[field], 6);
      }
    });
    // The quarter of a 90-day horizon from 2025-11-01 ends inside it; the month too.
    expect(summary.every((l) => !l.partial)).toBe(true);
  });

  it('forecast --by day --channel --stage: one row per day and source of the channel, adding up to the month', async () => {
    const days = await runCliJson<ForecastRowJson[]>(['forecast', '--db', db, '--by', 'day', '--channel', 'Paid Search', '--stage', 'sqls']);
    expect(days.code, days.stderr).toBe(0);
    expect(days.json[0]).toMatchObject({ period: AS_OF, period_start: AS_OF, channel: 'Paid Search', stage: 'sqls', actual: 0, partial: false });
    expect(new Set(days.json.map((l) => l.stage))).toEqual(new Set(['sqls']));
    expect(new Set(days.json.map((l) => l.channel))).toEqual(new Set(['Paid Search']));
    const sources = [...new Set(days.json.map((l) => l.source))];
    expect(sources.length).toBeGreaterThanOrEqual(2);
    expect(days.json).toHaveLength(90 * sources.length);
    const month = await runCliJson<ForecastRowJson[]>(['forecast', '--db', db, '--by', 'month', '--channel', 'Paid Search', '--stage', 'sqls', '--total']);
    const november = days.json.filter((l) => l.period.startsWith('2025-11')).reduce((sum, l) => sum + l.forecast, 0);
    expect(month.json[0]?.period).toBe('2025-11');
    expect(month.json[0]?.forecast).toBeCloseTo(november, 6);
    const week = await runCli(['forecast', '--db', db, '--by', 'week', '--channel', 'Paid Search', '--source', 'google', '--stage', 'mqls']);
    expect(week.code, week.stderr).toBe(0);
    expect(week.stdout).toMatch(/^2025-W44 +Paid Search +google +MQLs /m);
  });

  it('forecast --segment keeps the combinations the segment maps to, and the filters combine', async () => {
    const mapping = await runCliJson<{ super_segment: string; Channel_Grouping_Name: string; Original_source: string }[]>(['mapping', '--db', db, '--segment', 'Outbound']);
    const expected = mapping.json.map((m) => `${m.Channel_Grouping_Name} / ${m.Original_source}`).sort();
    const rows = await runCliJson<ForecastRowJson[]>(['forecast', '--db', db, '--by', 'quarter', '--segment', 'Outbound']);
    expect(rows.code, rows.stderr).toBe(0);
    expect([...new Set(rows.json.map((l) => `${l.channel} / ${l.source}`))].sort()).toEqual(expected);
    const channel = mapping.json[0]!.Channel_Grouping_Name;
    const both = await runCliJson<ForecastRowJson[]>(['forecast', '--db', db, '--by', 'quarter', '--segment', 'Outbound', '--channel', channel, '--stage', 'sqos']);
    expect(both.code, both.stderr).toBe(0);
    expect(both.json.length).toBeGreaterThan(0);
    for (const l of both.json) expect([l.channel, l.stage]).toEqual([channel, 'sqos']);
  });

  it.each([
    [['--channel', 'Nope'], /Unknown channel "Nope"; known: .*Paid Search/],
    [['--channel', 'Paid Search', '--source', 'nope'], /Unknown source \(of channel Paid Search\) "nope"; known: bing, google/],
    [['--segment', 'Nope'], /Unknown super-segment "Nope"; known: Inbound_Marketing, Other, Outbound, Partnerships_Referrals/],
    [['--segment', 'Outbound', '--channel', 'Paid Search'], /Unknown channel \(of super-segment Outbound\) "Paid Search"; known: /],
  ])('forecast %j: an unknown filter value is a usage error listing the known ones', async (flags, message) => {
    const result = await runCli(['forecast', '--db', db, ...flags]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it('forecast --csv prints the JSON keys as header and one line per row', async () => {
    const result = await runCli(['forecast', '--db', db, '--by', 'quarter', '--total', '--csv']);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toBe('period,period_start,partial,channel,source,stage,actual,forecast,landing,lower_50,upper_50,lower_95,upper_95');
    // 90 days from 2025-11-01: the rest of 2025-Q4 and most of 2026-Q1, three stages each.
    expect(lines.slice(1).map((line) => line.split(',').slice(0, 6).join(','))).toEqual(
      ['2025-Q4,2025-10-01,false', '2026-Q1,2026-01-01,true'].flatMap((period) => ['mqls', 'sqls', 'sqos'].map((stage) => `${period},,,${stage}`)),
    );
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
    const run = result.json.find((r) => r.run_id === demoSummary.refresh.run_id);
    expect(run?.status).toBe('published');
    expect(run?.warnings).toEqual(demoSummary.refresh.warnings);
    for (const listed of result.json) expect(listed).not.toHaveProperty('warnings_json');
  });

  it('runs prints each run with its time, then its phase timings and warnings indented under it', async () => {
    const result = await runCli(['runs', '--db', db]);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    const at = lines.findIndex((line) => line.startsWith(demoSummary.refresh.run_id));
    expect(at).toBeGreaterThan(1);
    expect(lines[at]).toMatch(/ \d+\.\ds( |$)/);
    expect(lines[at + 1]).toMatch(/^ {4}aggregate \d+ ms, fit_mqls \d+ ms, fit_sqls \d+ ms, distribute \d+ ms, validate \d+ ms/);
    const warnings = demoSummary.refresh.warnings.map((warning) => `    ! ${warning}`);
    expect(lines.slice(at + 2, at + 2 + warnings.length)).toEqual(warnings);
    expect(lines[at + 2 + warnings.length] ?? '').not.toMatch(/^ {4}! /);
  });

  it('runs --json has the timings as an object, not JSON text', async () => {
    const result = await runCliJson<(RunRow & { timings: Record<string, number> | null })[]>(['runs', '--db', db]);
    const run = result.json.find((r) => r.run_id === demoSummary.refresh.run_id);
    expect(Object.keys(run?.timings ?? {})).toEqual(expect.arrayContaining(['aggregate', 'fit_mqls', 'fit_sqls', 'distribute', 'validate']));
    for (const listed of result.json) expect(listed).not.toHaveProperty('timings_json');
  });

  it('models shows the published run\'s candidates: one chosen per stage × super-segment, weights summing to 1', async () => {
    const result = await runCliJson<SelectionRow[]>(['models', '--db', db]);
    expect(result.code, result.stderr).toBe(0);
    const groups = new Map<string, SelectionRow[]>();
    for (const row of result.json) {
      expect(row.run_id).toBe(demoSummary.refresh.run_id);
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

/** A valid, empty SQLite 3 database (one page, no tables), as another program would leave it. */
function emptySqliteDatabase(): Buffer {
  const page = Buffer.alloc(4096);
  page.write('SQLite format 3\0', 0, 'latin1');
  page.writeUInt16BE(4096, 16); // page size
  page.set([1, 1, 0, 64, 32, 32], 18); // file format versions, reserved space, payload fractions
  page.writeUInt32BE(1, 24); // change counter
  page.writeUInt32BE(1, 28); // pages in the database
  page.writeUInt32BE(4, 44); // schema format
  page.writeUInt32BE(1, 56); // UTF-8
  page.writeUInt32BE(1, 92); // version-valid-for
  page.writeUInt32BE(3045001, 96); // SQLite version that wrote it
  page[100] = 0x0d; // page 1: an empty table b-tree leaf (sqlite_schema)
  page.writeUInt16BE(4096, 105); // its cell content starts at the end of the page
  return page;
}

/**
 * Runs the CLI where file permissions apply: root writes through them, so as root the command runs as `nobody`
 * (and the test folder is opened for it to traverse).
 */
async function runUnprivileged(args: readonly string[]): Promise<CliResult> {
  if (process.getuid?.() !== 0) return runCli(args);
  await chmod(dir.path, 0o755);
  return runCli(args, { uid: 65534, gid: 65534 });
}

describe('the environment refuses a database: exit 3 naming the file and what to do', () => {
  const leads = () => writeLeads('env-leads.csv', [HEADER, 'L1,Paid Search,google,Inbound_Marketing,2025-01-02,2025-01-05,']);

  it('a text file as --db is not a DuckDB database, and is left as it was', async () => {
    const text = join(dir.path, 'notes.duckdb');
    await writeFile(text, 'meeting notes, not a database\n');
    const result = await runCliJson<{ error: { code: string; message: string } }>(['runs', '--db', text]);
    expect(result.code).toBe(3);
    expect(result.json.error.code).toBe('ENVIRONMENT');
    expect(result.stderr).toContain(`database ${text} is not a DuckDB database`);
    expect(result.stderr).not.toMatch(/at .*\.js:\d+/);
    expect(await readFile(text, 'utf8')).toBe('meeting notes, not a database\n');
  });

  it('a SQLite file as --db is refused without DuckDB installing or downloading an extension', async () => {
    const sqlite = join(dir.path, 'crm.sqlite');
    await writeFile(sqlite, emptySqliteDatabase());
    const home = join(dir.path, 'home');
    await mkdir(home);
    const result = await runCli(['forecast', '--db', sqlite], { env: { HOME: home } });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`database ${sqlite} is not a DuckDB database`);
    expect(result.stderr).not.toMatch(/download|https?:/i);
    // DuckDB installs extensions under $HOME/.duckdb: nothing may have been put there.
    expect(existsSync(join(home, '.duckdb'))).toBe(false);
  });

  it('a read-only database file: exit 3, saying it may not be written', async () => {
    const file = join(dir.path, 'read-only.duckdb');
    expect((await runCli(['import', await leads(), '--db', file])).code).toBe(0);
    await chmod(file, 0o444);
    const result = await runUnprivileged(['runs', '--db', file]);
    expect(result.code, result.stderr).toBe(3);
    expect(result.stderr).toContain(`database ${file} may not be written`);
  });

  it.each([
    ['in a read-only folder', 'new.duckdb'],
    ['in a new folder under a read-only one', 'sub/new.duckdb'],
  ])('a new database %s: exit 3, nothing created', async (_case, name) => {
    const folder = join(dir.path, `read-only-${name.length}`);
    await mkdir(folder);
    await chmod(folder, 0o555);
    const file = join(folder, name);
    const result = await runUnprivileged(['import', await leads(), '--db', file]);
    expect(result.code, result.stderr).toBe(3);
    expect(result.stderr).toContain(`database ${file} may not be written`);
    expect(existsSync(join(folder, name.split('/')[0]!))).toBe(false);
  });

  it('a database path under a file: exit 3, saying a folder on its path is a file', async () => {
    const file = join(await leads(), 'x.duckdb');
    const result = await runCli(['import', await leads(), '--db', file]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`database ${file} is under a file, not a folder`);
  });

  it.skipIf(!existsSync('/dev/full'))('a full disk (/dev/full): exit 3, saying the disk is full', async () => {
    const result = await runCli(['refresh', '--db', '/dev/full', '--as-of', AS_OF]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('database /dev/full cannot be written: the disk is full');
  });
});

describe('targets are looked up among the configured ones only', () => {
  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])('--target %s is an unknown target: exit 2', async (name) => {
    for (const args of [['runs', '--target', name], ['runs', '--target', name, '--db', db], ['refresh', '--target', name]]) {
      const result = await runCli(args);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toContain(`no target named "${name}"; configured: local`);
    }
  });

  it('a config whose defaultTarget is constructor is refused', async () => {
    const config = join(dir.path, 'default-constructor.yaml');
    await writeFile(config, 'defaultTarget: constructor\n');
    const result = await runCli(['runs', '--config', config]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/defaultTarget: names no target/);
  });
});

describe('only import, demo and refresh create a database', () => {
  it.each([['runs'], ['forecast'], ['mapping'], ['models'], ['backtest']])('%s refuses a missing database with exit 2 and creates nothing', async (command) => {
    const folder = join(dir.path, `tpyo-${command}`);
    const file = join(folder, 'funnelcast.duckdb');
    const result = await runCli([command, '--db', file]);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain(file);
    expect(result.stderr).toMatch(/`funnelcast import <leads file>` or `funnelcast demo` creates it/);
    expect(existsSync(folder)).toBe(false);
  });

  it('import says on stderr that it created the database, not in --json output, and only the first time', async () => {
    const file = join(dir.path, 'created', 'leads.duckdb');
    const leadsFile = await writeLeads('created.csv', [HEADER, 'L1,Paid Search,google,Inbound_Marketing,2025-01-02,,']);
    const first = await runCliJson<{ imported: number }>(['import', leadsFile, '--db', file]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.json.imported).toBe(1);
    expect(first.stderr).toContain(`Created database ${file}`);
    expect((await stat(file)).isFile()).toBe(true);
    const second = await runCli(['import', leadsFile, '--db', file, '--replace']);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).not.toContain('Created database');
  });

  it('demo and refresh say so too', async () => {
    const demo = await runCli(['demo', '--db', join(dir.path, 'said.duckdb'), '--as-of', AS_OF, '--dry-run', '--horizon', '7']);
    expect(demo.code, demo.stderr).toBe(0);
    expect(demo.stderr).toContain(`Created database ${join(dir.path, 'said.duckdb')}`);
    const refresh = await runCli(['refresh', '--db', join(dir.path, 'empty.duckdb'), '--as-of', AS_OF]);
    expect(refresh.code).toBe(1);
    expect(refresh.stderr).toContain(`Created database ${join(dir.path, 'empty.duckdb')}`);
  });
});

describe('names from the data cannot drive the terminal', () => {
  // One name per trick: retitle the terminal, colour it, break a table row, run a spreadsheet formula.
  const combos = [
    ['\x1b]0;pwned\x07Paid', 'google', 'Inbound_Marketing'],
    ['Red \x1b[31mAlert', 'bing', 'Outbound'],
    ['Two\nLines', 'referral', 'Partnerships_Referrals'],
    ['=HYPERLINK("http://evil","click")', '-1+2', 'Other'],
  ] as const;
  let hostile: string;

  beforeAll(async () => {
    const quote = (text: string) => `"${text.replaceAll('"', '""')}"`;
    const lines = [HEADER];
    for (let day = 0; day < 365; day++) {
      const mql = new Date(Date.UTC(2024, 10, 1 + day)).toISOString().slice(0, 10);
      const sql = new Date(Date.UTC(2024, 10, 6 + day)).toISOString().slice(0, 10);
      combos.forEach(([channel, source, segment], i) => {
        lines.push([`H${day}-${i}-a`, quote(channel), quote(source), segment, mql, sql < AS_OF ? sql : '', ''].join(','));
        lines.push([`H${day}-${i}-b`, quote(channel), quote(source), segment, mql, '', ''].join(','));
      });
    }
    hostile = join(dir.path, 'hostile.duckdb');
    const file = await writeLeads('hostile.csv', lines);
    expect((await runCli(['import', file, '--db', hostile])).code).toBe(0);
    const refresh = await runCli(['refresh', '--db', hostile, '--as-of', AS_OF, '--horizon', '30']);
    expect(refresh.code, refresh.stderr).toBe(0);
  });

  it('mapping shows each name with its controls escaped, one line per row; --json keeps the names as they are', async () => {
    const text = await runCli(['mapping', '--db', hostile]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f]/);
    expect(text.stdout).toContain('\\x1b]0;pwned\\x07Paid');
    expect(text.stdout).toContain('Red \\x1b[31mAlert');
    expect(text.stdout).toContain('Two\\x0aLines');
    const json = await runCliJson<{ Channel_Grouping_Name: string }[]>(['mapping', '--db', hostile]);
    expect(json.json.map((row) => row.Channel_Grouping_Name).sort()).toEqual(combos.map(([channel]) => channel).sort());
    // A title line, the header, the rule and one line per row: no name split a row.
    expect(text.stdout.trimEnd().split('\n')).toHaveLength(3 + json.json.length);
  });

  it('forecast escapes a channel filter it echoes', async () => {
    const result = await runCli(['forecast', '--db', hostile, '--channel', 'Red \x1b[31mAlert']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('channel Red \\x1b[31mAlert');
    expect(result.stdout).not.toContain('\x1b');
  });
});

describe('the installed commands stay runnable after any build', () => {
  const run = promisify(execFile);
  const manifests = ['package.json', 'apps/cli/package.json', 'apps/worker/package.json'];
  const bins = async (manifest: string) => {
    const { bin } = JSON.parse(await readFile(join(repoRoot, manifest), 'utf8')) as { bin: Record<string, string> };
    return Object.entries(bin).map(([name, target]) => ({ name, path: join(repoRoot, dirname(manifest), target) }));
  };

  it('every bin of every package.json is a committed, executable launcher outside the build outputs', async () => {
    for (const manifest of manifests) {
      const entries = await bins(manifest);
      expect(entries.length, manifest).toBeGreaterThan(0);
      for (const { path } of entries) {
        const where = relative(repoRoot, path);
        // turbo restores dist/ from its cache without the run bit; a launcher outside it keeps git's.
        expect(where, manifest).not.toMatch(/(^|\/)dist\//);
        expect((await stat(path)).mode & 0o111, where).toBe(0o111);
        expect(await readFile(path, 'utf8'), where).toMatch(/^#!\/usr\/bin\/env node\n/);
        const { stdout } = await run('git', ['ls-files', '--stage', '--', where], { cwd: repoRoot });
        expect(stdout, `${where} is committed as executable`).toMatch(/^100755 /);
      }
    }
  });

  it('npx funnelcast runs through the bin link npm makes, whatever the mode of the built entry points', async () => {
    const project = join(dir.path, 'installed');
    await mkdir(join(project, 'node_modules', '.bin'), { recursive: true });
    await writeFile(join(project, 'package.json'), '{ "name": "installed", "private": true }\n');
    for (const manifest of ['apps/cli/package.json', 'apps/worker/package.json']) {
      for (const { name, path } of await bins(manifest)) await symlink(path, join(project, 'node_modules', '.bin', name));
    }
    // As turbo's cache restores them: built files without the run bit.
    for (const entry of ['apps/cli/dist/bundle/main.js', 'apps/worker/dist/main.js']) await chmod(join(repoRoot, entry), 0o644);
    const { version } = JSON.parse(await readFile(join(repoRoot, 'apps/cli/package.json'), 'utf8')) as { version: string };
    const npx = await run('npx', ['--no', '--', 'funnelcast', '--version'], { cwd: project });
    expect(npx.stdout.trim()).toBe(version);
    const help = await run(join(project, 'node_modules', '.bin', 'funnelcast'), ['--help'], { cwd: project });
    expect(help.stdout).toMatch(/^funnelcast <command> \[options\]/);
    const worker = await run(join(project, 'node_modules', '.bin', 'funnelcast-worker'), ['--help'], { cwd: project });
    expect(worker.stdout).toMatch(/^Usage: funnelcast-worker/);
  });
});

describe('super-segments named as revenue teams write them', () => {
  const segments = ['Mid-Market', 'Partner & Alliances', 'Inbound'];
  let named: string;
  let config: string;

  beforeAll(async () => {
    config = join(dir.path, 'named-segments.yaml');
    await writeFile(config, `superSegments: ${JSON.stringify(segments)}\n`);
    const combos = [['Paid Search', 'google', 'Mid-Market'], ['Partners', 'referral', 'Partner & Alliances'], ['Web', 'organic', 'Inbound'], ['Events', 'summit', 'Mid-Market']];
    const lines = [HEADER];
    for (let day = 0; day < 365; day++) {
      const mql = new Date(Date.UTC(2024, 10, 1 + day)).toISOString().slice(0, 10);
      const sql = new Date(Date.UTC(2024, 10, 4 + day)).toISOString().slice(0, 10);
      combos.forEach(([channel, source, segment], i) => {
        for (let k = 0; k < 3; k++) lines.push([`N${day}-${i}-${k}`, channel, source, `"${segment}"`, mql, k === 0 && sql < AS_OF ? sql : '', ''].join(','));
      });
    }
    named = join(dir.path, 'named.duckdb');
    const imported = await runCli(['import', await writeLeads('named.csv', lines), '--db', named, '--config', config]);
    expect(imported.code, imported.stderr).toBe(0);
  });

  it('refresh publishes them end to end, and mapping, models and forecast show them', async () => {
    const refresh = await runCliJson<{ published: boolean; super_segments: string[] }>(['refresh', '--db', named, '--config', config, '--as-of', AS_OF, '--horizon', '30']);
    expect(refresh.code, refresh.stderr).toBe(0);
    expect(refresh.json.published).toBe(true);
    const mapping = await runCliJson<{ super_segment: string }[]>(['mapping', '--db', named, '--config', config]);
    expect(mapping.code, mapping.stderr).toBe(0);
    expect([...new Set(mapping.json.map((row) => row.super_segment))].sort()).toEqual([...segments].sort());
    const one = await runCli(['mapping', '--db', named, '--config', config, '--segment', 'Partner & Alliances']);
    expect(one.code, one.stderr).toBe(0);
    expect(one.stdout).toMatch(/^Partner & Alliances +Partners +referral/m);
    const models = await runCliJson<{ super_segment: string | null }[]>(['models', '--db', named, '--config', config, '--stage', 'sqls']);
    expect(models.code, models.stderr).toBe(0);
    expect([...new Set(models.json.map((row) => row.super_segment))].sort()).toEqual([...segments].sort());
    const forecast = await runCliJson<ForecastRowJson[]>(['forecast', '--db', named, '--config', config, '--segment', 'Partner & Alliances']);
    expect(forecast.code, forecast.stderr).toBe(0);
    expect(forecast.json.some((l) => l.stage === 'sqls' && l.channel === 'Partners' && l.landing > 0)).toBe(true);
  });

  it('an import into another segment is refused, listing the configured names', async () => {
    const file = await writeLeads('named-other.csv', [HEADER, 'X1,Web,organic,Enterprise,2025-01-02,,']);
    const result = await runCli(['import', file, '--db', named, '--config', config]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('"Enterprise" is not one of: Mid-Market, Partner & Alliances, Inbound');
  });
});
