import { landings, periodStart } from '@funnelcast/core';
import { describe, expect, it } from 'vitest';
import { formatCount } from './format.js';
import { escapeHtml, jsonForScript } from './html.js';
import { renderReport } from './render-report.js';
import { HOSTILE_CHANNEL, reportFixture } from './testing/report-fixture.js';

const generatedAt = '2025-05-15T07:00:00.000Z';

describe('renderReport', () => {
  const data = reportFixture();
  const page = renderReport(data, { generatedAt });

  it('writes every name as text: no markup of the data reaches the page, in HTML or in the inline JSON', () => {
    expect(page).not.toContain('<script>window.__pwned');
    expect(page).not.toContain('<b>bold</b>');
    expect(page).toContain(escapeHtml(HOSTILE_CHANNEL));
    expect(page).toContain('日本語');
    // Three scripts of the page's own: the chart data, the ECharts runtime and the init script.
    expect(page.match(/<script[\s>]/g)).toHaveLength(3);
  });

  it('keeps inline JSON parseable and unable to close its element', () => {
    const json = jsonForScript({ name: '</script><!-- & \u2028' }).text;
    expect(json).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(json)).toEqual({ name: '</script><!-- & \u2028' });
  });

  it('draws the total, each super-segment and the top combinations, as SVG already in the page', () => {
    expect(page.match(/<figure class="fan" data-kind="total"/g)).toHaveLength(1);
    expect(page.match(/<figure class="fan" data-kind="segment"/g)).toHaveLength(2);
    expect(page.match(/<figure class="fan" data-kind="combination"/g)).toHaveLength(3);
    expect(page.match(/<div class="chart"[^>]*><svg /g)).toHaveLength(6);
    const topOne = renderReport(data, { generatedAt, top: 1, by: 'channel' });
    expect(topOne.match(/data-kind="combination"/g)).toHaveLength(2);
    expect(topOne).not.toContain('data-kind="segment"');
    // The largest by forecast SQLs first: the hostile combination has the largest forecast.
    expect(topOne).toContain(`<h4>${escapeHtml(`${HOSTILE_CHANNEL} × it's <b>bold</b>`)}</h4>`);
    expect(renderReport(data, { generatedAt, by: 'segment' })).not.toContain('data-kind="combination"');
  });

  it('shows the landings core computes for this month and quarter', () => {
    for (const by of ['month', 'quarter'] as const) {
      const landing = landings(data.rows, by).find((l) => l.periodStart === periodStart(data.run.as_of, by) && l.stage === 'sqls')!;
      const row = page.match(/<tr data-stage="sqls">.*?<\/tr>/)![0];
      expect(row).toContain(formatCount(landing.landing));
      expect(row).toContain(`${formatCount(landing.lower95)} – ${formatCount(landing.upper95)}`);
    }
  });

  it('compares the latest backtest\'s production, v1 and naive on each stage\'s total, averaged over origins', () => {
    const result = (origin: string, model: string, stage: string, metric: string, value: number | null) =>
      ({ backtest_id: 'bt-7', origin, model, level: 'total', stage, metric, value });
    const withBacktest = renderReport(
      {
        ...data,
        backtest: {
          run: { backtest_id: 'bt-7', created_at: '2025-05-10T00:00:00.000Z', period: 'month', origins_json: '[]', models_json: '[]', config_hash: 'h' },
          results: [
            result('2025-03-01', 'naive', 'sqls', 'wape', 0.4),
            result('2025-03-01', 'production', 'sqls', 'wape', 0.1),
            result('2025-04-01', 'production', 'sqls', 'wape', 0.2),
            result('2025-03-01', 'v1', 'sqls', 'wape', 0.3),
            result('2025-04-01', 'v1', 'sqls', 'wape', null),
            { ...result('2025-03-01', 'production', 'sqls', 'wape', 9), level: 'channel_source' },
          ],
        },
      },
      { generatedAt },
    );
    const table = withBacktest.match(/<table class="backtest">[\s\S]*?<\/table>/)![0];
    const sqls = table.slice(table.indexOf('>SQLs<'));
    expect([...sqls.matchAll(/<td>(production|v1|naive)<\/td><td class="num">([^<]+)</g)].slice(0, 3).map((m) => [m[1], m[2]])).toEqual([
      ['production', '15.0%'],
      ['v1', '30.0%'],
      ['naive', '40.0%'],
    ]);
    expect(withBacktest).toContain('2 month origins');
  });

  it('shows the run: models, warnings as text, timings; and says when past runs or backtests are missing', () => {
    expect(page).toContain('mstl-ets');
    expect(page).toContain('3.40 s');
    expect(page).toContain(escapeHtml(`channel ${HOSTILE_CHANNEL} fell back to equal shares`));
    expect(page).toContain('No published run has a forecast day that has passed yet.');
    expect(page).toContain('No backtest is stored');
  });
});
