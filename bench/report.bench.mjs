// Report benchmark (issue 13): how long `funnelcast report` takes for the demo — the default demo (as of
// 2025-11-01, 90-day horizon) plus an October run kept for tracking, so every section has content. Measured end to
// end as a user runs it (a fresh `funnelcast report` process: Node start, opening DuckDB, reading, drawing, writing)
// and in-process, split into reading the warehouse and rendering the page. Target: under 2 s end to end.
import { spawnSync } from 'node:child_process';
import { statSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { readReportData } from '@funnelcast/pipeline';
import { renderReport } from '@funnelcast/report';
import { createDuckDbWarehouse } from '@funnelcast/warehouse-duckdb';
import { percentile, resultsDir, round, scratch, time, writeResult } from './support.mjs';

const AS_OF = '2025-11-01';
const RUNS = 5;
const cli = new URL('../apps/cli/bin/funnelcast.js', import.meta.url).pathname;

function funnelcast(args) {
  const run = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`funnelcast ${args.join(' ')} failed (${run.status}):\n${run.stderr}`);
  return run.stdout;
}

const dir = scratch('report');
try {
  const db = join(dir.path, 'demo.duckdb');
  funnelcast(['demo', '--db', db, '--as-of', AS_OF, '--json']);
  funnelcast(['refresh', '--db', db, '--as-of', '2025-10-01', '--horizon', '30', '--json']);
  const out = join(dir.path, 'report.html');

  const endToEnd = [];
  for (let i = 0; i < RUNS; i++) endToEnd.push((await time(() => funnelcast(['report', '--db', db, '--out', out]))).ms);
  const bytes = statSync(out).size;

  const warehouse = await createDuckDbWarehouse({ path: db });
  const reads = [];
  const renders = [];
  let data;
  try {
    for (let i = 0; i < RUNS; i++) {
      const read = await time(() => readReportData(warehouse));
      data = read.result;
      reads.push(read.ms);
      renders.push((await time(() => renderReport(data, { generatedAt: new Date().toISOString() }))).ms);
    }
  } finally {
    await warehouse.close();
  }
  const ms = (values) => ({ median: round(percentile(values, 0.5), 0), min: round(Math.min(...values), 0), max: round(Math.max(...values), 0) });
  const figures = {
    demo: { asOf: AS_OF, productionRows: data.rows.length, forecastVsActualRows: data.forecastVsActual.length, mappingRows: data.mapping.length },
    runs: RUNS,
    pageBytes: bytes,
    endToEndMs: ms(endToEnd),
    inProcess: { readMs: ms(reads), renderMs: ms(renders), firstRenderMs: round(renders[0], 0) },
    // Two cores shared with whatever else runs: the 1-minute load average says how much of them the runs had.
    loadAverage1m: round(loadavg()[0], 2),
    targetMs: 2000,
    underTarget: percentile(endToEnd, 0.5) < 2000,
  };
  writeResult('report', figures);
  writeFileSync(
    join(resultsDir, 'report.md'),
    `# Report benchmark

\`funnelcast report\` for the demo (as of ${AS_OF}, 90-day horizon, plus an October run kept for tracking):
${data.rows.length} production rows, ${data.forecastVsActual.length} forecast-vs-actual rows, ${data.mapping.length} mapping rows.
Page: ${(bytes / 1e6).toFixed(2)} MB (the ECharts runtime inlined is most of it). ${RUNS} runs each; run
\`node bench/report.bench.mjs\` after a build.

| measure | median | min | max |
| --- | ---: | ---: | ---: |
| end to end (\`funnelcast report\` process) | ${figures.endToEndMs.median} ms | ${figures.endToEndMs.min} ms | ${figures.endToEndMs.max} ms |
| in-process: read the warehouse | ${figures.inProcess.readMs.median} ms | ${figures.inProcess.readMs.min} ms | ${figures.inProcess.readMs.max} ms |
| in-process: render the page | ${figures.inProcess.renderMs.median} ms | ${figures.inProcess.renderMs.min} ms | ${figures.inProcess.renderMs.max} ms |

Target: under 2 s end to end — ${figures.underTarget ? 'met' : 'NOT met'} in this run (${figures.endToEndMs.median} ms median, on two shared cores with a
1-minute load average of ${figures.loadAverage1m}: figures scale with the load other processes put on the machine).
`,
  );
  console.log('wrote bench/results/report.md');
} finally {
  dir.cleanup();
}
