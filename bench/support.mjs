// Shared helpers of the benchmark scripts: temp folders, timing, result files.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';

export const resultsDir = new URL('./results/', import.meta.url).pathname;

/** A fresh temporary folder and its cleanup. */
export function scratch(prefix) {
  const path = mkdtempSync(join(tmpdir(), `funnelcast-bench-${prefix}-`));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

/** Milliseconds taken by `work`, and its result. */
export async function time(work) {
  const started = performance.now();
  const result = await work();
  return { ms: performance.now() - started, result };
}

/** Writes `bench/results/<name>.json` with the machine context beside the figures. */
export function writeResult(name, figures) {
  mkdirSync(resultsDir, { recursive: true });
  const body = {
    benchmark: name,
    ranAt: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    ...figures,
  };
  writeFileSync(join(resultsDir, `${name}.json`), `${JSON.stringify(body, null, 2)}\n`);
  console.log(`wrote bench/results/${name}.json`);
}


/** Rounds for readable JSON. */
export const round = (value, digits = 3) => (value === null || value === undefined ? null : Number(value.toFixed(digits)));

/** The nearest-rank `p`-quantile (0 < p ≤ 1) of values already sorted ascending. */
export function quantileOfSorted(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

/** The nearest-rank `p`-quantile (0 < p ≤ 1) of `values`, or null when there are none. */
export function percentile(values, p) {
  if (values.length === 0) return null;
  return quantileOfSorted([...values].sort((a, b) => a - b), p);
}

/**
 * Splits each source into `factor` sub-sources (stable per lead), multiplying the Channel × Source combinations: the
 * wide case of the speed and messy benchmarks.
 */
export function widen(leads, factor) {
  if (factor === 1) return leads;
  return leads.map((lead, index) => ({ ...lead, original_source: `${lead.original_source}_${(index * 2654435761) % factor}` }));
}
