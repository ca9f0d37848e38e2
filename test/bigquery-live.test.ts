import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './support/cli.js';

const exec = promisify(execFile);

// The live check's settings removed, whatever the machine running the tests has set.
const withoutLiveSettings = (extra: Record<string, string> = {}) => ({
  ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('FUNNELCAST_BIGQUERY_LIVE_'))),
  ...extra,
});

// Files vitest would run in a folder under a config (the default one when none is named), relative to the folder.
async function testFiles(folder: string, config?: string): Promise<string[]> {
  const { stdout } = await exec('npx', ['vitest', 'list', '--filesOnly', ...(config ? ['--config', config] : [])], { cwd: join(repoRoot, folder) });
  return stdout.split('\n').map((line) => line.trim()).filter((line) => /\.(test|live)\.ts$/.test(line)).sort();
}

describe('npm run test:bigquery-live', () => {
  it.each([['unset', {}], ['blank', { FUNNELCAST_BIGQUERY_LIVE_PROJECT: '  ' }]])(
    'says it SKIPPED and exits 0, running nothing, when the project is %s',
    async (_, extra) => {
      const { stdout, stderr } = await exec('npm', ['run', '--silent', 'test:bigquery-live'], { cwd: repoRoot, env: withoutLiveSettings(extra) });
      expect(stdout.trim()).toMatch(/^SKIPPED: the live BigQuery check needs a project\. Set FUNNELCAST_BIGQUERY_LIVE_PROJECT .*Nothing was run\.$/);
      expect(stdout).toContain('GOOGLE_APPLICATION_CREDENTIALS');
      expect(stdout).not.toContain('== build');
      expect(stderr).toBe('');
    },
  );

  it('runs the live files only under their own configs, never in npm test', async () => {
    expect(await testFiles('packages/warehouse-bigquery', 'vitest.live.config.ts')).toEqual(['src/live/conformance.live.ts']);
    expect(await testFiles('test', 'vitest.live.config.ts')).toEqual(['live/bigquery-refresh.live.ts']);
    for (const folder of ['packages/warehouse-bigquery', 'test']) {
      const files = await testFiles(folder);
      expect(files.length).toBeGreaterThan(0);
      expect(files.filter((file) => file.includes('live/'))).toEqual([]);
    }
  });
});
