#!/usr/bin/env node
// Runs every benchmark script in bench/ (one process each, one after another, so they do not share the two
// cores) and lists the result files they wrote. `npm run bench -- accuracy` runs only names containing "accuracy".
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = new URL('.', import.meta.url).pathname;
const filter = process.argv[2];
const scripts = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.mjs') && (!filter || f.includes(filter)))
  .sort();
let failed = 0;
for (const script of scripts) {
  console.log(`\n=== ${script} ===`);
  const run = spawnSync(process.execPath, ['--expose-gc', join(dir, script)], { stdio: 'inherit' });
  if (run.status !== 0) failed++;
}
console.log(`\n${scripts.length - failed} benchmark(s) done, ${failed} failed; results in bench/results/`);
process.exit(failed ? 1 : 0);
