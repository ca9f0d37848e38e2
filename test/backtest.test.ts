import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runCliJson, tempDir } from './support/cli.js';

const AS_OF = '2025-11-01';

interface Report {
  backtest_id: string;
  origins: string[];
  models: string[];
  period: string;
  results: { origin: string; model: string; level: string; stage: string; metric: string; value: number | null }[];
  summary: { model: string; level: string; stage: string; metric: string; value: number | null; ratio_to_v1: number | null }[];
  mapping: { window_days: number; wape: number | null }[];
  timings: { origin: string; ms: number }[];
}

let dir: { path: string; cleanup: () => Promise<void> };
let db: string;

/** What Looker sees: the run list, the published forecast and the mapping. */
async function publishedState() {
  const runs = await runCliJson(['runs', '--db', db]);
  const forecast = await runCliJson(['forecast', '--db', db, '--by', 'month']);
  const mapping = await runCliJson(['mapping', '--db', db]);
  return { runs: runs.json, forecast: forecast.json, mapping: mapping.json };
}

beforeAll(async () => {
  dir = await tempDir();
  db = join(dir.path, 'demo.duckdb');
  const demo = await runCli(['demo', '--db', db, '--as-of', AS_OF, '--seed', '3', '--horizon', '30', '--json']);
  expect(demo.code, demo.stderr).toBe(0);
});

afterAll(async () => {
  await dir.cleanup();
});

describe('funnelcast backtest', () => {
  it('backtests the last full months as JSON, stores them, and leaves the published forecast untouched', async () => {
    const before = await publishedState();
    const result = await runCliJson<Report>(['backtest', '--db', db, '--origins', '2']);
    expect(result.code, result.stderr).toBe(0);
    const report = result.json;
    expect(report.origins).toEqual(['2025-09-01', '2025-10-01']);
    expect(report.models).toEqual(['production', 'v1', 'naive']);
    expect(report.timings).toHaveLength(2);
    for (const level of ['total', 'super_segment', 'channel_source']) {
      for (const model of report.models) {
        const wape = report.summary.find((r) => r.model === model && r.level === level && r.stage === 'sqls' && r.metric === 'wape');
        expect(wape?.value, `${model} ${level}`).toEqual(expect.any(Number));
      }
    }
    expect(report.summary.find((r) => r.model === 'v1' && r.level === 'total' && r.stage === 'mqls' && r.metric === 'wape')?.ratio_to_v1).toBe(1);
    expect(report.mapping.map((m) => m.window_days)).toEqual([90, 180, 365]);
    expect(await publishedState()).toEqual(before);
  });

  it('scores the same on one thread as on two', async () => {
    const scores = async (threads: string) => {
      const result = await runCliJson<Report>(['backtest', '--db', db, '--origins', '1', '--threads', threads]);
      expect(result.code, result.stderr).toBe(0);
      return { results: result.json.results, summary: result.json.summary };
    };
    const one = await scores('1');
    expect(one.results.length).toBeGreaterThan(20);
    expect(await scores('2')).toEqual(one);
  });

  it('prints readable tables with the best value marked, and writes the Markdown report', async () => {
    const out = join(dir.path, 'backtest.md');
    const result = await runCli(['backtest', '--db', db, '--from', '2025-10', '--to', '2025-10', '--models', 'production,naive', '--out', out]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Channel × Source — SQLs');
    expect(result.stdout).toContain('Mapping windows');
    // Not a TTY: no ANSI codes, a `*` marks the best value of each column.
    expect(result.stdout).not.toContain('\x1b[');
    expect(result.stdout).toMatch(/\d%\*/);
    const markdown = await readFile(out, 'utf8');
    expect(markdown).toMatch(/^# Backtest bt_/);
    expect(markdown).toContain('## Total — SQLs');
    expect(markdown).toMatch(/\| production \|/);
    expect(markdown).toMatch(/\*\*[-+\d.]+%\*\*/);
  });

  it('explains itself in --help and refuses bad arguments with a usage error', async () => {
    const help = await runCli(['backtest', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--period');
    expect(help.stdout).toContain('Examples:');
    const both = await runCli(['backtest', '--db', db, '--origins', '2', '--from', '2025-09', '--to', '2025-10']);
    expect(both.code).toBe(2);
    const unknown = await runCliJson<{ error: { message: string } }>(['backtest', '--db', db, '--origins', '1', '--models', 'production,prophet']);
    expect(unknown.code).toBe(2);
    expect(unknown.json.error.message).toContain('unknown model "prophet"');
    const future = await runCliJson<{ error: { message: string } }>(['backtest', '--db', db, '--from', '2025-11', '--to', '2025-11']);
    expect(future.code).toBe(2);
    expect(future.json.error.message).toContain('after the latest data');
  });
});
