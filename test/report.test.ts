/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { existsSync } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { randomUUID } from 'node:crypto';
import { parseConfig } from '@funnelcast/core';
import { formatCount, formatInterval } from '@funnelcast/report';
import { obliterateQueue, startRedis, startWorkerProcess } from '@funnelcast/worker/testing';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runCliJson, tempDir } from './support/cli.js';

const AS_OF = '2025-11-01';
const CHROMIUM = process.env.FUNNELCAST_CHROMIUM ?? '/usr/bin/chromium';
const HEADER = 'lead_id,channel_grouping_name,original_source,super_segment,mql_date,sql_date,sqo_date';
// Names that must stay text: a script tag, an image whose error handler would run, quotes, an ampersand, non-Latin.
const SEGMENTS = ['Outbound', 'Inbound_Marketing', 'Partnerships_Referrals', 'Other'];
const HOSTILE = ['<script>window.__pwned = 1</script>', '<img src=x onerror="window.__pwned = 2">', `"Q&A" it's`, 'Ünïcødé 日本語 عربى'];

/** What `funnelcast report --json` prints. */
interface ReportSummary {
  path: string;
  run_id: string;
  as_of: string;
  bytes: number;
}
/** A row of `funnelcast forecast --total --json`. */
interface LandingJson {
  stage: string;
  period_start: string;
  forecast: number;
  landing: number;
  lower_50: number;
  upper_50: number;
  lower_95: number;
  upper_95: number;
}

let dir: { path: string; cleanup: () => Promise<void> };
let db: string;
let report: ReportSummary;
let octoberRun: string;

beforeAll(async () => {
  dir = await tempDir('funnelcast-report-');
  db = join(dir.path, 'demo.duckdb');
  const demo = await runCliJson(['demo', '--db', db, '--as-of', AS_OF, '--seed', '7', '--horizon', '60']);
  expect(demo.code, demo.stderr).toBe(0);
  // An earlier as-of date, kept for tracking: its forecast days have passed, so "how past runs did" has a row.
  const october = await runCliJson<{ run_id: string }>(['refresh', '--db', db, '--as-of', '2025-10-01', '--horizon', '30']);
  expect(october.code, october.stderr).toBe(0);
  octoberRun = october.json.run_id;
  const written = await runCliJson<ReportSummary>(['report', '--db', db, '--out', join(dir.path, 'report.html')]);
  expect(written.code, written.stderr).toBe(0);
  report = written.json;
});

afterAll(async () => {
  await dir?.cleanup();
});

const cellsOf = (page: string, stage: string) =>
  [...page.match(new RegExp(`<tr data-stage="${stage}">(.*?)</tr>`))![1]!.matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((m) => m[1]!.replace(' *', ''));

describe('funnelcast report', () => {
  it('writes one self-contained page for the production run: no external script, style, image or link', async () => {
    expect(report.as_of).toBe(AS_OF);
    const page = await readFile(report.path, 'utf8');
    expect(report.bytes).toBe(Buffer.byteLength(page));
    expect(report.bytes).toBeLessThan(4_000_000);
    // The inlined ECharts runtime holds markup in strings of its own; the page around it must load nothing.
    // SVG's namespace declarations are names, not addresses.
    const outsideScripts = page.replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, '<script></script>').replace(/ xmlns(:\w+)?="[^"]*"/g, '');
    expect(outsideScripts.length).toBeLessThan(page.length / 2);
    expect(outsideScripts).not.toMatch(/<(script|img|iframe)[^>]+src=|<link[^>]+href=|url\((?!#)|@import|https?:/i);
    expect(page).toContain(`run <span class="mono">${report.run_id}</span> (production)`);
  });

  it('shows the same landings as `funnelcast forecast`, this month and this quarter', async () => {
    const page = await readFile(report.path, 'utf8');
    for (const [by, offset] of [['month', 0], ['quarter', 4]] as const) {
      const forecast = await runCliJson<LandingJson[]>(['forecast', '--db', db, '--by', by, '--total']);
      expect(forecast.code, forecast.stderr).toBe(0);
      const start = by === 'month' ? '2025-11-01' : '2025-10-01';
      for (const stage of ['mqls', 'sqls', 'sqos']) {
        const landing = forecast.json.find((l) => l.period_start === start && l.stage === stage)!;
        const cells = cellsOf(page, stage).slice(offset, offset + 4);
        expect(cells.slice(1), `${by} ${stage}`).toEqual([
          formatCount(landing.landing),
          formatInterval(landing.lower_50, landing.upper_50),
          formatInterval(landing.lower_95, landing.upper_95),
        ]);
      }
    }
  });

  it('shows how the October run did against what happened', async () => {
    const page = await readFile(report.path, 'utf8');
    expect(page).toContain(`<td class="mono">${octoberRun}</td>`);
    expect(page).not.toContain('No published run has a forecast day that has passed yet.');
  });

  it('--run draws an earlier published run; --by and --top choose the small multiples', async () => {
    const out = join(dir.path, 'october.html');
    const result = await runCliJson<ReportSummary>(['report', '--db', db, '--out', out, '--run', octoberRun, '--by', 'channel', '--top', '2']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.json).toMatchObject({ run_id: octoberRun, as_of: '2025-10-01' });
    const page = await readFile(out, 'utf8');
    expect(page).toContain('(published, not production)');
    expect(page.match(/<figure class="fan" data-kind="combination"/g)).toHaveLength(2);
    expect(page).not.toContain('data-kind="segment"');
  });

  it('refuses an unknown run (exit 2, naming it), a bad --top, and a missing database, writing nothing', async () => {
    const out = join(dir.path, 'never.html');
    const unknown = await runCli(['report', '--db', db, '--out', out, '--run', 'fc_nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Unknown published run "fc_nope"');
    expect((await runCli(['report', '--db', db, '--out', out, '--top', '-1'])).code).toBe(2);
    const missing = join(dir.path, 'missing.duckdb');
    const noDb = await runCli(['report', '--db', missing, '--out', out]);
    expect(noDb.code, noDb.stderr).toBe(2);
    expect(noDb.stderr).toContain('No funnelcast database there');
    expect(existsSync(missing)).toBe(false);
    expect(existsSync(out)).toBe(false);
  });
});

describe('the worker serves the latest report at /report', () => {
  it('answers the production run\'s page on the health port, drawn once for that run', async () => {
    const redis = await startRedis();
    const raw = { targets: { local: { type: 'duckdb', path: db } }, queue: { name: `e2e-report-${randomUUID()}`, prefix: 'fce2e' } };
    const configPath = join(dir.path, 'worker.config.json');
    await writeFile(configPath, JSON.stringify(raw));
    const worker = startWorkerProcess(['--config', configPath], { REDIS_URL: redis.url, FUNNELCAST_WORKER_PORT: '0' });
    try {
      const started = await worker.waitForLog((l) => l.msg === 'worker started');
      const base = `http://127.0.0.1:${String(started.port)}`;
      const first = await fetch(`${base}/report`);
      expect(first.status).toBe(200);
      expect(first.headers.get('content-type')).toBe('text/html; charset=utf-8');
      const page = await first.text();
      expect(page).toContain(`run <span class="mono">${report.run_id}</span> (production)`);
      expect(page).toContain('<div class="chart" id="chart-0"');
      // Generated once for the run: the second answer is the same page, its generation time included.
      expect(await (await fetch(`${base}/report`)).text()).toBe(page);
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
    } finally {
      await worker.stop('SIGTERM');
      await obliterateQueue(parseConfig(raw), redis.url);
      await redis.stop();
    }
  });
});

describe('funnelcast forecast --chart', () => {
  it('draws the next eight full weeks per stage: the band around the forecast, on the weekly totals forecast prints', async () => {
    const chart = await runCli(['forecast', '--db', db, '--chart']);
    expect(chart.code, chart.stderr).toBe(0);
    // 2025-11-01 is a Saturday: the first full forecast week starts on Monday 11-03.
    expect(chart.stdout).toContain('8 weeks from 2025-11-03');
    const weekly = await runCliJson<LandingJson[]>(['forecast', '--db', db, '--by', 'week', '--total']);
    for (const [stage, label] of [['mqls', 'MQLs'], ['sqls', 'SQLs'], ['sqos', 'SQOs']] as const) {
      const block = chart.stdout.slice(chart.stdout.indexOf(`${label} (scale`));
      const [upper = '', forecast = '', lower = ''] = [/upper 95% {2}(\S+)/, /forecast {3}(\S+)/, /lower 95% {2}(\S+)/].map((re) => block.match(re)![1]!);
      for (const line of [upper, forecast, lower]) expect(line).toMatch(/^[▁▂▃▄▅▆▇█]{8}$/);
      // Each week's blocks are ordered: the upper bound never below the forecast, the forecast never below the lower.
      for (let i = 0; i < 8; i++) expect('▁▂▃▄▅▆▇█'.indexOf(upper[i]!)).toBeGreaterThanOrEqual('▁▂▃▄▅▆▇█'.indexOf(forecast[i]!));
      const first = weekly.json.find((l) => l.period_start === '2025-11-03' && l.stage === stage)!;
      expect(block).toMatch(new RegExp(`forecast {3}\\S+ {2}${first.forecast.toLocaleString('en-US', { maximumFractionDigits: 1, minimumFractionDigits: 1 }).replace('.', '\\.')} … `));
    }
  });
});

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  console.warn(`report browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set FUNNELCAST_CHROMIUM)`);
}

/** What a page did once loaded: console errors, requests other than the file itself, and each chart's series. */
async function openReport(browser: Browser, file: string): Promise<{ page: Page; errors: string[]; requests: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1120, height: 900 } });
  const errors: string[] = [];
  const requests: string[] = [];
  const url = pathToFileURL(file).href;
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('request', (request) => request.url() !== url && requests.push(request.url()));
  await page.goto(url, { waitUntil: 'load', timeout: 60_000 });
  await page.waitForFunction(() => document.querySelectorAll('.chart').length > 0 && [...document.querySelectorAll('.chart')].every((el) => (window as unknown as { echarts?: { getInstanceByDom(el: Element): unknown } }).echarts?.getInstanceByDom(el)), undefined, { timeout: 60_000 });
  return { page, errors, requests };
}

interface ChartSeen {
  kind: string;
  grids: number;
  series: Record<string, number>;
  filledBands: number;
}

describe.skipIf(!hasChromium)('the report in a real headless Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'], timeout: 60_000 });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('loads with no console error and no request, draws every chart with its series and bands, shows tooltips', async () => {
    const { page, errors, requests } = await openReport(browser, report.path);
    const charts = await page.evaluate(() =>
      [...document.querySelectorAll('.chart')].map((el) => {
        const option = (window as unknown as { echarts: { getInstanceByDom(el: Element): { getOption(): { grid: unknown[]; series: { name: string; areaStyle?: unknown; data: (number | null)[] }[] } } } }).echarts
          .getInstanceByDom(el)
          .getOption();
        const series: Record<string, number> = {};
        for (const s of option.series) series[s.name] = (series[s.name] ?? 0) + 1;
        return {
          kind: (el as HTMLElement).dataset.kind!,
          grids: option.grid.length,
          series,
          // A band is drawn when its filled width has values on the forecast days.
          filledBands: option.series.filter((s) => s.areaStyle && s.data.some((v) => v !== null && v >= 0)).length,
        } satisfies ChartSeen;
      }),
    );
    const mapping = await runCliJson<{ super_segment: string }[]>(['mapping', '--db', db]);
    const segments = new Set(mapping.json.map((m) => m.super_segment)).size;
    expect(charts.map((c) => c.kind)).toEqual(['total', ...Array(segments).fill('segment'), ...Array(5).fill('combination')]);
    for (const chart of charts) {
      expect(chart).toEqual({ kind: chart.kind, grids: 3, series: { '95% interval': 6, '50% interval': 6, Actual: 3, Forecast: 3 }, filledBands: 6 });
    }
    // The SVG the browser drew: each chart has its legend's four entries.
    const legends = await page.evaluate(() => [...document.querySelectorAll('.chart svg')].map((svg) => ['Actual', 'Forecast', '50% interval', '95% interval'].filter((name) => svg.textContent!.includes(name)).length));
    expect(legends).toEqual(charts.map(() => 4));

    const box = (await page.locator('#chart-0').boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.6);
    await expect.poll(() => page.evaluate(() => document.body.innerText), { timeout: 20_000 }).toMatch(/95%: [\d.,]+ – [\d.,]+/);

    // Printed on A4 landscape (277 mm ≈ 1047 px printable at 96 dpi), nothing is wider than the paper.
    await page.emulateMedia({ media: 'print' });
    await page.setViewportSize({ width: 1047, height: 900 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1047);
    const pdf = await page.pdf({ format: 'A4', landscape: true, preferCSSPageSize: true });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const screenshot = join(dir.path, 'report.png');
    await page.screenshot({ path: screenshot, fullPage: true });
    expect((await stat(screenshot)).size).toBeGreaterThan(50_000);
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  });

  it('is readable without scripts: the server-drawn SVG charts are in the page', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(pathToFileURL(report.path).href, { timeout: 60_000 });
    const drawn = await page.evaluate(() => [...document.querySelectorAll('.chart > svg')].map((svg) => svg.querySelectorAll('path').length));
    expect(drawn.length).toBeGreaterThanOrEqual(7);
    for (const paths of drawn) expect(paths).toBeGreaterThan(20);
    await context.close();
  });

  it('writes names with markup, quotes, ampersands and non-Latin letters as text: no injected script runs', async () => {
    const lines = [HEADER];
    let id = 0;
    const csvField = (text: string) => `"${text.replace(/"/g, '""')}"`;
    for (let day = 0; day < 200; day++) {
      const date = new Date(Date.UTC(2025, 3, 1 + day)).toISOString().slice(0, 10);
      HOSTILE.forEach((name, i) => {
        if ((day + i) % 2 === 0) lines.push(`H${id++},${csvField(name)},${csvField(`src ${name}`)},${SEGMENTS[i]},${date},${day % 3 === 0 ? date : ''},`);
      });
    }
    const csv = join(dir.path, 'hostile.csv');
    await writeFile(csv, `${lines.join('\n')}\n`);
    const hostileDb = join(dir.path, 'hostile.duckdb');
    const imported = await runCli(['import', csv, '--db', hostileDb]);
    expect(imported.code, imported.stderr).toBe(0);
    const refreshed = await runCli(['refresh', '--db', hostileDb, '--as-of', '2025-10-15', '--horizon', '14']);
    expect(refreshed.code, refreshed.stderr).toBe(0);
    const out = join(dir.path, 'hostile.html');
    const written = await runCli(['report', '--db', hostileDb, '--out', out, '--top', '4']);
    expect(written.code, written.stderr).toBe(0);

    const { page, errors, requests } = await openReport(browser, out);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    const text = await page.evaluate(() => document.body.innerText);
    for (const name of HOSTILE) {
      expect(text).toContain(`${name} × src ${name}`);
      expect(text).toContain(name);
    }
    // Only the page's own three scripts exist, and no element came from a name.
    expect(await page.evaluate(() => document.scripts.length)).toBe(3);
    expect(await page.evaluate(() => document.querySelectorAll('img').length)).toBe(0);
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  });
});
