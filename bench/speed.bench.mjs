// Speed of a refresh (issue 3): about a million leads over 20+ Channel × Source combinations and a 90-day horizon,
// time per phase beside a bare DuckDB scan-and-aggregate of the same leads (same file, same run), so the ratio is
// meaningful on a noisy two-core machine. Then a wide case of about 1,000 combinations: time and peak memory.
import { DuckDBInstance } from '@duckdb/node-api';
import { parseConfig } from '@funnelcast/core';
import { generateLeads } from '@funnelcast/demo';
import { refresh } from '@funnelcast/pipeline';
import { createDuckDbWarehouse } from '@funnelcast/warehouse-duckdb';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { resourceUsage } from 'node:process';
import { round, scratch, time, writeResult } from './support.mjs';

const AS_OF = '2025-10-01';

/** Splits each source into `factor` sub-sources (stable per lead), multiplying the combinations. */
function widen(leads, factor) {
  if (factor === 1) return leads;
  return leads.map((lead, index) => ({ ...lead, original_source: `${lead.original_source}_${(index * 2654435761) % factor}` }));
}

/** The floor: scan the leads and count events per day and combination, three stages, nothing else. */
async function bareAggregate(path) {
  const instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  const { ms } = await time(() =>
    connection.runAndReadAll(`
      SELECT d, channel_grouping_name, original_source, super_segment, stage, CAST(count(*) AS DOUBLE) AS n FROM (
        SELECT mql_date AS d, 'mql' AS stage, * FROM leads WHERE mql_date < DATE '${AS_OF}'
        UNION ALL SELECT sql_date, 'sql', * FROM leads WHERE sql_date < DATE '${AS_OF}'
        UNION ALL SELECT sqo_date, 'sqo', * FROM leads WHERE sqo_date < DATE '${AS_OF}'
      ) GROUP BY ALL`),
  );
  connection.closeSync();
  instance.closeSync();
  return ms;
}

async function measure(name, { scale, factor }) {
  const dir = scratch(`speed-${name}`);
  try {
    const path = join(dir.path, 'speed.duckdb');
    const leads = widen(generateLeads({ seed: 42, end: AS_OF, profile: 'large', scale }), factor);
    const warehouse = await createDuckDbWarehouse({ path });
    await warehouse.ensureSchema();
    const load = await time(() => warehouse.insertLeads(leads, { replace: true }));
    await warehouse.close();
    const combinations = new Set(leads.map((l) => `${l.channel_grouping_name}|${l.original_source}`)).size;
    const leadCount = leads.length;
    leads.length = 0;
    global.gc?.();

    const bare = [];
    for (let i = 0; i < 3; i++) bare.push(await bareAggregate(path));
    const config = parseConfig({ targets: { local: { type: 'duckdb', path } } });
    const run = await time(() => refresh(config, { asOf: AS_OF, horizon: 90 }));
    const t = run.result.timings;
    const bareMs = Math.min(...bare);
    const series = combinations + config.superSegments.length;
    const nonFitting = t.aggregate + t.distribute + t.validate + t.publish;
    return {
      leads: leadCount,
      combinations,
      loadMs: Math.round(load.ms),
      bareAggregateMs: round(bareMs, 1),
      refreshMs: Math.round(run.ms),
      phasesMs: Object.fromEntries(Object.entries(t).map(([k, v]) => [k, round(v, 1)])),
      nonFittingMs: round(nonFitting, 1),
      nonFittingVsBare: round(nonFitting / bareMs, 2),
      fitMsPerSeries: round((t.fit_mqls + t.fit_sqls) / series, 2),
      rows: run.result.rows,
      peakRssMb: Math.round(resourceUsage().maxRSS / 1024),
    };
  } finally {
    dir.cleanup();
  }
}

// Each case runs in its own process so its peak memory is its own.
const CASES = { million: { scale: 20, factor: 2 }, wide: { scale: 2, factor: 53 } };
const only = process.argv[2];
if (only) {
  process.stdout.write(`${JSON.stringify(await measure(only, CASES[only]))}\n`);
} else {
  const results = {};
  for (const name of Object.keys(CASES)) {
    const child = spawnSync(process.execPath, ['--expose-gc', new URL(import.meta.url).pathname, name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24 });
    if (child.status !== 0) throw new Error(`speed case ${name} failed`);
    results[name] = JSON.parse(child.stdout.trim().split('\n').pop());
    console.log(name, results[name]);
  }
  const { million, wide } = results;
  writeResult('speed', {
    asOf: AS_OF,
    horizon: 90,
    million: { ...million, targets: { nonFittingWithin2xBare: million.nonFittingVsBare <= 2, fitUnder50msPerSeries: million.fitMsPerSeries <= 50 } },
    wide,
  });
}
