#!/usr/bin/env node
// Fails when a workspace depends on a funnelcast package its layer may not use: apps → pipeline → (warehouses,
// models, demo, lookml, report) → core, and core on nothing. The rule lives here, in one table, not in reviewers' heads.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const adapters = ['core'];
const allowed = {
  core: [],
  models: adapters,
  demo: adapters,
  lookml: adapters,
  report: adapters,
  'warehouse-duckdb': [...adapters, 'warehouse-conformance'],
  'warehouse-bigquery': [...adapters, 'warehouse-conformance'],
  'warehouse-conformance': adapters,
  pipeline: ['core', 'models', 'demo', 'report', 'warehouse-duckdb', 'warehouse-bigquery'],
  worker: ['core', 'pipeline'],
  cli: ['core', 'pipeline', 'lookml', 'worker'],
  e2e: null, // end-to-end tests may use anything
};

const problems = [];
for (const folder of ['packages', 'apps', '.']) {
  const dirs = folder === '.' ? ['test'] : readdirSync(join(root, folder));
  for (const dir of dirs) {
    const file = join(root, folder === '.' ? '' : folder, dir, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8'));
    const name = pkg.name.replace('@funnelcast/', '');
    const rule = allowed[name];
    if (rule === undefined) {
      problems.push(`${pkg.name}: not in the layer table of scripts/check-layers.mjs`);
      continue;
    }
    if (rule === null) continue;
    const deps = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).filter((d) => d.startsWith('@funnelcast/'));
    for (const dep of deps) {
      if (!rule.includes(dep.replace('@funnelcast/', ''))) problems.push(`${pkg.name} may not depend on ${dep}`);
    }
  }
}
if (problems.length) {
  console.error(`Layer violations:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log('layers ok');
