#!/usr/bin/env node
// A 6-origin monthly backtest of the demo data (seed 42, leads before 2025-11-01): production vs v1 vs naive.
// Writes bench/results/backtest.json with the time per origin, the result tables and the Markdown report the
// README quotes. Run after a build: `npm run bench -- backtest`.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '@funnelcast/core';
import { backtest, backtestMarkdown, backtestTables, seedDemo } from '@funnelcast/pipeline';

const END = '2025-11-01';
const SEED = 42;
const ORIGINS = 6;

const dir = await mkdtemp(join(tmpdir(), 'funnelcast-bench-backtest-'));
try {
  const config = parseConfig({ targets: { local: { type: 'duckdb', path: join(dir, 'demo.duckdb') } } });
  const demo = await seedDemo(config, { end: END, seed: SEED });
  let last = '';
  const started = performance.now();
  const report = await backtest(config, {
    origins: ORIGINS,
    onProgress: (event) => {
      const origin = event.message?.slice(0, 10) ?? '';
      if (origin !== last) process.stderr.write(`  origin ${origin}…\n`);
      last = origin;
    },
  });
  const totalMs = performance.now() - started;
  const perOrigin = report.timings.map((t) => ({ origin: t.origin, seconds: Number((t.ms / 1000).toFixed(3)) }));
  const result = {
    benchmark: 'backtest',
    data: { generator: '@funnelcast/demo', seed: SEED, end: END, leads: demo.leads, sqls: demo.sqls, combinations: demo.combinations },
    node: process.version,
    origins: report.origins,
    models: report.models,
    totalSeconds: Number((totalMs / 1000).toFixed(3)),
    meanSecondsPerOrigin: Number((perOrigin.reduce((a, t) => a + t.seconds, 0) / perOrigin.length).toFixed(3)),
    perOrigin,
    tables: backtestTables(report).map((t) => ({ title: t.title, header: t.header, rows: t.rows.map((r) => r.map((c) => (c.best && c.text ? `${c.text} (best)` : c.text))) })),
    mapping: report.mapping,
    summary: report.summary,
    warnings: report.warnings,
    markdown: backtestMarkdown(report),
  };
  const out = new URL('./results/', import.meta.url);
  await mkdir(out, { recursive: true });
  await writeFile(new URL('backtest.json', out), `${JSON.stringify(result, null, 2)}\n`);
  console.log(result.markdown);
  console.log(`${ORIGINS} origins in ${result.totalSeconds} s (${result.meanSecondsPerOrigin} s per origin); wrote bench/results/backtest.json`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
