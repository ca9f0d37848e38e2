#!/usr/bin/env node
// Renders docs/report.png, the README's picture of the report: the demo's report (as of 2025-11-01, plus an October
// run kept for tracking) opened in Debian's chromium by playwright-core. Run after a build:
//   node scripts/screenshot-report.mjs [path/to/chromium]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const root = new URL('..', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'funnelcast-screenshot-'));
const funnelcast = (...args) => {
  const run = spawnSync(process.execPath, [join(root, 'apps/cli/bin/funnelcast.js'), ...args], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`funnelcast ${args.join(' ')}: ${run.stderr}`);
};
try {
  const db = join(dir, 'demo.duckdb');
  const out = join(dir, 'report.html');
  funnelcast('demo', '--db', db, '--as-of', '2025-11-01', '--json');
  funnelcast('refresh', '--db', db, '--as-of', '2025-10-01', '--horizon', '30', '--json');
  funnelcast('report', '--db', db, '--out', out);
  const browser = await chromium.launch({ executablePath: process.argv[2] ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 1500 }, deviceScaleFactor: 1 });
    await page.goto(pathToFileURL(out).href);
    await page.waitForFunction(() => [...document.querySelectorAll('.chart')].every((el) => window.echarts?.getInstanceByDom(el)));
    // Hover the total's SQL forecast so the picture shows a tooltip.
    const box = await page.locator('#chart-0').boundingBox();
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.55);
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(root, 'docs/report.png'), clip: { x: 0, y: 0, width: 1100, height: 1500 } });
  } finally {
    await browser.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log('wrote docs/report.png');
