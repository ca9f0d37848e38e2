// Speed against the bare SQL (issue 14): in one run, for each case, a leads CSV is written once, then timed as
// separate processes, each started cold and measured with /usr/bin/time -v (wall time, CPU time, peak RSS):
//   - the peer: one Node process running bare DuckDB SQL that does the seed's job — read the CSV, daily counts, the
//     180-day Channel × Source shares of each super-segment's SQLs, a same-weekday 8-week mean forecast of each
//     super-segment's SQLs over 90 days, distributed by the shares;
//   - `funnelcast import` of the CSV, then `funnelcast refresh` (publishing), as a user runs them;
//   - the same refresh without selection (each stage's default model alone), to show what the selection backtest
//     costs;
// each three times, the run of median wall time counting.
// The ratio (import + refresh) ÷ peer is issue 14's figure (goal ≤ 2×). Cases: about a million leads over 38
// combinations and two years; the wide case (1,000+ combinations); ten million leads, opt-in with
// FUNNELCAST_BENCH_10M=1 (it takes several minutes here). Also the cold start of `funnelcast --help` (median of 10).
//
//   npm run build && node bench/speed.bench.mjs            # writes bench/results/speed.json and speed.md
//   FUNNELCAST_BENCH_10M=1 node bench/speed.bench.mjs
import { DuckDBInstance } from '@duckdb/node-api';
import { AUTO_CANDIDATES, LEAD_COLUMNS } from '@funnelcast/core';
import { generateLeads, toCsvLine } from '@funnelcast/demo';
import { spawnSync } from 'node:child_process';
import { copyFileSync, createWriteStream, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { cpus, loadavg } from 'node:os';
import { resultsDir, round, scratch, widen, writeResult } from './support.mjs';

const AS_OF = '2025-10-01';
const HORIZON = 90;
// What users run: the bin, which loads the CLI's esbuild bundle.
const CLI = new URL('../apps/cli/bin/funnelcast.js', import.meta.url).pathname;
const SELF = new URL(import.meta.url).pathname;
const GOAL = 2;

const CASES = [
  { name: 'million', describe: 'about a million leads, 38 combinations, two years', scale: 20, factor: 2, copies: 1 },
  { name: 'wide', describe: 'the wide case: each source split into 56 sub-sources', scale: 2, factor: 56, copies: 1 },
  { name: 'ten_million', describe: 'ten million leads: ten draws of the million case', scale: 20, factor: 2, copies: 10, optIn: 'FUNNELCAST_BENCH_10M' },
];

/** The seed's job in bare SQL, from the CSV to a distributed 90-day SQL forecast, every step materialised. */
function peerSql(csv) {
  const asOf = `DATE '${AS_OF}'`;
  return `
    CREATE TABLE leads AS SELECT * FROM read_csv('${csv.replaceAll("'", "''")}', header = true, columns = {
      'lead_id': 'VARCHAR', 'channel_grouping_name': 'VARCHAR', 'original_source': 'VARCHAR', 'super_segment': 'VARCHAR',
      'mql_date': 'DATE', 'sql_date': 'DATE', 'sqo_date': 'DATE'});
    CREATE TABLE daily AS
      SELECT date_day, channel_grouping_name, original_source, super_segment,
        count(*) FILTER (WHERE stage = 'mql') AS mqls, count(*) FILTER (WHERE stage = 'sql') AS sqls, count(*) FILTER (WHERE stage = 'sqo') AS sqos
      FROM (
        SELECT mql_date AS date_day, 'mql' AS stage, channel_grouping_name, original_source, super_segment FROM leads
        UNION ALL SELECT sql_date, 'sql', channel_grouping_name, original_source, super_segment FROM leads WHERE sql_date IS NOT NULL
        UNION ALL SELECT sqo_date, 'sqo', channel_grouping_name, original_source, super_segment FROM leads WHERE sqo_date IS NOT NULL
      ) WHERE date_day < ${asOf} GROUP BY ALL;
    CREATE TABLE shares AS
      SELECT super_segment, channel_grouping_name, original_source,
        sum(sqls) / sum(sum(sqls)) OVER (PARTITION BY super_segment) AS normalized_fraction
      FROM daily WHERE date_day >= ${asOf} - 180 GROUP BY super_segment, channel_grouping_name, original_source;
    CREATE TABLE segment_forecast AS
      WITH profile AS (
        SELECT super_segment, dayofweek(date_day) AS weekday, sum(sqls) / 8.0 AS sqls
        FROM daily WHERE date_day >= ${asOf} - 56 GROUP BY ALL
      )
      SELECT s.super_segment, h.date_day, coalesce(p.sqls, 0) AS sqls
      FROM (SELECT DISTINCT super_segment FROM daily) s
      CROSS JOIN (SELECT ${asOf} + CAST(i AS INTEGER) AS date_day FROM range(${HORIZON}) t(i)) h
      LEFT JOIN profile p ON p.super_segment = s.super_segment AND p.weekday = dayofweek(h.date_day);
    CREATE TABLE forecast AS
      SELECT f.date_day, sh.channel_grouping_name, sh.original_source, sum(f.sqls * sh.normalized_fraction) AS sqls_forecast
      FROM segment_forecast f JOIN shares sh USING (super_segment) GROUP BY ALL;`;
}

/** The peer process: runs {@link peerSql} into a fresh DuckDB file and prints the forecast's row count. */
async function runPeer(csv, path) {
  const instance = await DuckDBInstance.create(path);
  const connection = await instance.connect();
  await connection.run(peerSql(csv));
  const rows = (await connection.runAndReadAll('SELECT count(*)::DOUBLE AS n FROM forecast')).getRowObjects()[0].n;
  // What a BigQuery history query could scan at most: all seven lead columns, priced as BigQuery does (a STRING is
  // 2 bytes plus its UTF-8 length, a DATE 8 bytes, a NULL nothing).
  const bytes = (await connection.runAndReadAll(`
    SELECT sum(6 + strlen(lead_id) + 2 + strlen(channel_grouping_name) + 2 + strlen(original_source) + 2 + strlen(super_segment)
      + 8 + CASE WHEN sql_date IS NULL THEN 0 ELSE 8 END + CASE WHEN sqo_date IS NULL THEN 0 ELSE 8 END)::DOUBLE AS bytes FROM leads`)).getRowObjects()[0].bytes;
  connection.closeSync();
  instance.closeSync();
  process.stdout.write(`${JSON.stringify({ rows, leadColumnBytes: bytes })}\n`);
}

/** Writes the case's leads as a CSV, one generated draw at a time, so ten million never sit in memory at once. */
async function writeLeadsCsv(path, { scale, factor, copies }) {
  const out = createWriteStream(path);
  out.write(`${LEAD_COLUMNS.join(',')}\n`);
  const combinations = new Set();
  let count = 0;
  for (let copy = 0; copy < copies; copy++) {
    const leads = widen(generateLeads({ seed: 42 + copy, end: AS_OF, profile: 'large', scale }), factor);
    for (let i = 0; i < leads.length; i += 10_000) {
      const lines = leads.slice(i, i + 10_000).map((lead) => {
        combinations.add(`${lead.channel_grouping_name}|${lead.original_source}`);
        return toCsvLine(copies === 1 ? lead : { ...lead, lead_id: `D${copy}-${lead.lead_id}` });
      });
      if (!out.write(`${lines.join('\n')}\n`)) await once(out, 'drain');
    }
    count += leads.length;
  }
  out.end();
  await once(out, 'finish');
  return { leads: count, combinations: combinations.size };
}

/** Runs a Node script as its own process under /usr/bin/time -v: wall and CPU seconds, peak RSS, stdout. */
function timedProcess(args, cwd) {
  const timeFile = join(cwd, 'time.txt');
  const started = performance.now();
  const run = spawnSync('/usr/bin/time', ['-v', '-o', timeFile, process.execPath, ...args], { cwd, encoding: 'utf8', maxBuffer: 1 << 28 });
  const wall = (performance.now() - started) / 1000;
  if (run.status !== 0) throw new Error(`${args.join(' ')} failed (exit ${run.status}):\n${run.stderr}`);
  const report = readFileSync(timeFile, 'utf8');
  const field = (label) => Number(report.match(new RegExp(`${label}: ([0-9.]+)`))?.[1]);
  return {
    seconds: round(wall, 2),
    cpuSeconds: round(field('User time \\(seconds\\)') + field('System time \\(seconds\\)'), 2),
    peakRssMb: Math.round(field('Maximum resident set size \\(kbytes\\)') / 1024),
    stdout: run.stdout,
  };
}

/** A refresh summary's phase timings, in seconds. */
const phasesOf = (summary) => Object.fromEntries(Object.entries(summary.timings).map(([phase, ms]) => [phase, round(ms / 1000, 2)]));

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
/** Cold runs per step: a shared two-core machine makes any single run noisy. */
const RUNS = 3;
/** The run of median wall time (its CPU time, memory and output with it). */
const medianRun = (runs) => [...runs].sort((a, b) => a.seconds - b.seconds)[Math.floor(runs.length / 2)];
const withoutStdout = ({ stdout, ...rest }) => rest;

async function measureCase(spec) {
  const dir = scratch(`speed-${spec.name}`);
  try {
    const csv = join(dir.path, 'leads.csv');
    const data = await writeLeadsCsv(csv, spec);
    global.gc?.();
    const peers = [];
    for (let i = 0; i < RUNS; i++) {
      const path = join(dir.path, `peer-${i}.duckdb`);
      peers.push(timedProcess([SELF, 'peer', csv, path], dir.path));
      rmSync(path, { force: true });
    }
    const peerOutput = JSON.parse(peers[0].stdout);
    const peer = medianRun(peers);
    // Each import into a fresh file.
    const db = join(dir.path, 'funnelcast.duckdb');
    const imports = [];
    for (let i = 0; i < RUNS; i++) {
      const path = i === 0 ? db : join(dir.path, `import-${i}.duckdb`);
      imports.push(timedProcess([CLI, 'import', csv, '--db', path, '--json'], dir.path));
      if (i > 0) rmSync(path, { force: true });
    }
    /** {@link RUNS} refreshes, each on a fresh copy of the first import, so every run does the same work. */
    const refreshRuns = (name, extraArgs = []) =>
      Array.from({ length: RUNS }, (_, i) => {
        const path = join(dir.path, `${name}-${i}.duckdb`);
        copyFileSync(db, path);
        const run = timedProcess([CLI, 'refresh', '--db', path, ...extraArgs, '--as-of', AS_OF, '--horizon', String(HORIZON), '--json'], dir.path);
        rmSync(path, { force: true });
        return run;
      });
    const refreshes = refreshRuns('refresh');
    // The same refresh with each stage's default model alone: no selection backtest, so what is left is the as-of
    // fits and every other phase. The gap to the full refresh is what selecting models by evidence costs.
    const defaultsOnly = join(dir.path, 'defaults-only.json');
    writeFileSync(defaultsOnly, JSON.stringify({ models: { mqls: AUTO_CANDIDATES.mqls[0], sqls: AUTO_CANDIDATES.sqls[0] } }));
    const unselected = refreshRuns('unselected', ['--config', defaultsOnly]);
    const imported = medianRun(imports);
    const refreshed = medianRun(refreshes);
    const withoutSelection = medianRun(unselected);
    const summary = JSON.parse(refreshed.stdout);
    const phases = phasesOf(summary);
    const inPhases = Object.values(summary.timings).reduce((a, b) => a + b, 0) / 1000;
    const mqlOrigins = summary.selection.mqls[0]?.scores[0]?.origins ?? 0;
    return {
      describe: spec.describe,
      ...data,
      peer: { ...peer, runsSeconds: peers.map((p) => p.seconds), forecastRows: peerOutput.rows },
      import: { ...withoutStdout(imported), runsSeconds: imports.map((r) => r.seconds) },
      refresh: { ...withoutStdout(refreshed), runsSeconds: refreshes.map((r) => r.seconds), phases, startupAndExitSeconds: round(refreshed.seconds - inPhases, 2), rows: summary.rows, selectionOrigins: mqlOrigins },
      refreshWithoutSelection: {
        ...withoutStdout(withoutSelection),
        runsSeconds: unselected.map((r) => r.seconds),
        phases: phasesOf(JSON.parse(withoutSelection.stdout)),
        ratio: round((imported.seconds + withoutSelection.seconds) / peer.seconds, 2),
      },
      ratio: round((imported.seconds + refreshed.seconds) / peer.seconds, 2),
      cpuRatio: round((imported.cpuSeconds + refreshed.cpuSeconds) / peer.cpuSeconds, 2),
      // On BigQuery the same refresh runs the same aggregate queries there: seven per history read, one read at the
      // as-of date and one per selection origin. This bounds what one query can scan.
      bigQuery: { queriesPerHistoryRead: 7, historyReads: 1 + mqlOrigins, leadColumnBytesUpperBoundPerQuery: peerOutput.leadColumnBytes },
    };
  } finally {
    dir.cleanup();
  }
}

/**
 * Ten cold `funnelcast --help` processes: median wall seconds, and median CPU seconds (user + system), which a busy
 * shared machine inflates far less than wall time.
 */
function coldHelp() {
  const dir = scratch('speed-help');
  try {
    const runs = Array.from({ length: 10 }, () => timedProcess([CLI, '--help'], dir.path));
    return {
      medianSeconds: median(runs.map((r) => r.seconds)),
      medianCpuSeconds: median(runs.map((r) => r.cpuSeconds)),
      runsSeconds: runs.map((r) => r.seconds),
    };
  } finally {
    dir.cleanup();
  }
}

const fmt = (value, digits = 2) => (value === null || value === undefined ? '' : value.toFixed(digits));

function markdown(report) {
  const header = ['case', 'leads', 'combinations', 'peer (bare SQL)', 'import', 'refresh', 'import + refresh ÷ peer', 'CPU ratio', 'peak RSS peer / import / refresh', 'refresh without selection', 'ratio without selection'];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`];
  for (const [name, c] of Object.entries(report.cases)) {
    lines.push(
      `| ${name} | ${c.leads.toLocaleString('en-US')} | ${c.combinations.toLocaleString('en-US')} | ${fmt(c.peer.seconds)} s | ${fmt(c.import.seconds)} s | ${fmt(c.refresh.seconds)} s | ` +
        `**${fmt(c.ratio, 1)}×** | ${fmt(c.cpuRatio, 1)}× | ${c.peer.peakRssMb} / ${c.import.peakRssMb} / ${c.refresh.peakRssMb} MB | ` +
        `${fmt(c.refreshWithoutSelection.seconds)} s | ${fmt(c.refreshWithoutSelection.ratio, 1)}× |`,
    );
  }
  const phases = Object.entries(report.cases).map(
    ([name, c]) =>
      `- ${name}: refresh phases ${Object.entries(c.refresh.phases).map(([p, s]) => `${p} ${fmt(s)} s`).join(', ')}; start-up and exit ${fmt(c.refresh.startupAndExitSeconds)} s; ` +
      `${c.refresh.rows.toLocaleString('en-US')} rows; model selection scored at ${c.refresh.selectionOrigins} origins. Without selection: ` +
      `${Object.entries(c.refreshWithoutSelection.phases).map(([p, s]) => `${p} ${fmt(s)} s`).join(', ')}.`,
  );
  return [
    '# Speed against the bare SQL',
    '',
    `As of ${report.asOf}, ${report.horizon}-day horizon; each step a cold process, the median of three runs by wall time, CPU time (user + system) beside it. Goal: import + refresh ≤ ${GOAL}× the peer. Load average at the start: ${report.loadAverageAtStart} on ${cpus().length} cores.`,
    '',
    ...lines,
    '',
    `"Without selection" is the same refresh with each stage's default model alone (${AUTO_CANDIDATES.mqls[0]} for MQLs, ${AUTO_CANDIDATES.sqls[0]} for SQLs): no selection backtest, so no fits at past origins and no competing candidates. The production forecast selects by evidence; the gap between the two columns is what that costs.`,
    '',
    ...phases,
    '',
    `Cold \`funnelcast --help\`: median of 10, ${fmt(report.coldHelp.medianSeconds)} s wall, ${fmt(report.coldHelp.medianCpuSeconds)} s CPU (goal < 0.3 s).`,
    ...(report.skipped.length ? ['', `Not run: ${report.skipped.join('; ')}.`] : []),
    '',
  ].join('\n');
}

if (process.argv[2] === 'peer') {
  await runPeer(process.argv[3], process.argv[4]);
} else {
  // The figures are wall times on a shared machine: the load average beside them says how busy it was.
  const report = { asOf: AS_OF, horizon: HORIZON, goal: GOAL, loadAverageAtStart: round(loadavg()[0], 1), coldHelp: coldHelp(), cases: {}, skipped: [] };
  console.log('cold --help', report.coldHelp);
  for (const spec of CASES) {
    if (spec.optIn && process.env[spec.optIn] !== '1') {
      report.skipped.push(`${spec.name} (set ${spec.optIn}=1)`);
      continue;
    }
    report.cases[spec.name] = await measureCase(spec);
    console.log(spec.name, report.cases[spec.name]);
  }
  writeResult('speed', report);
  writeFileSync(join(resultsDir, 'speed.md'), markdown(report));
  console.log('wrote bench/results/speed.md');
}
