#!/usr/bin/env node
// `npm run test:bigquery-live`: the warehouse conformance suite and one refresh, against a real BigQuery project.
// Opt-in and never part of `npm test`: without FUNNELCAST_BIGQUERY_LIVE_PROJECT it says it SKIPPED and exits 0.
// Credentials are Application Default Credentials (`gcloud auth application-default login`) or the service-account
// key file GOOGLE_APPLICATION_CREDENTIALS names. The conformance suite creates and drops one scratch dataset per
// test (`<dataset>_<run>_<n>`); the refresh keeps its dataset (`<dataset>`) so the result can be looked at.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const project = process.env.FUNNELCAST_BIGQUERY_LIVE_PROJECT?.trim();
if (!project) {
  console.log(
    'SKIPPED: the live BigQuery check needs a project. Set FUNNELCAST_BIGQUERY_LIVE_PROJECT (and credentials: ' +
      'Application Default Credentials or GOOGLE_APPLICATION_CREDENTIALS); optionally FUNNELCAST_BIGQUERY_LIVE_DATASET ' +
      '(default funnelcast_live_check) and FUNNELCAST_BIGQUERY_LIVE_LOCATION (default US). Nothing was run.',
  );
  process.exit(0);
}

const env = {
  ...process.env,
  TURBO_TELEMETRY_DISABLED: '1',
  FUNNELCAST_BIGQUERY_LIVE_PROJECT: project,
  FUNNELCAST_BIGQUERY_LIVE_DATASET: process.env.FUNNELCAST_BIGQUERY_LIVE_DATASET?.trim() || 'funnelcast_live_check',
  FUNNELCAST_BIGQUERY_LIVE_LOCATION: process.env.FUNNELCAST_BIGQUERY_LIVE_LOCATION?.trim() || 'US',
};
console.log(`Live BigQuery check on project ${project}, dataset ${env.FUNNELCAST_BIGQUERY_LIVE_DATASET} (${env.FUNNELCAST_BIGQUERY_LIVE_LOCATION})`);
const step = (what, command, args, cwd = root) => {
  console.log(`\n== ${what}`);
  return spawnSync(command, args, { cwd, env, stdio: 'inherit' }).status === 0;
};
const ok =
  step('build', 'npx', ['turbo', 'run', 'build', '--output-logs=errors-only']) &&
  [
    step('warehouse conformance suite', 'npx', ['vitest', 'run', '--config', 'vitest.live.config.ts'], join(root, 'packages', 'warehouse-bigquery')),
    step('refresh', 'npx', ['vitest', 'run', '--config', 'vitest.live.config.ts'], join(root, 'test')),
  ].every(Boolean);
console.log(ok ? '\nLive BigQuery check passed.' : '\nLive BigQuery check FAILED (see above).');
process.exit(ok ? 0 : 1);
