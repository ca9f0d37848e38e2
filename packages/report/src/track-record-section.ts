import { STAGE_LABELS, STAGES, totalDistribution, type ForecastVsActualRow, type Stage, type StoredBacktest } from '@funnelcast/core';
import { formatCount, formatInterval, formatPercent } from './format.js';
import { html, type SafeHtml } from './html.js';

/** One published run's passed days, summed: per stage the actual, the forecast and the 95% interval of the total. */
export interface RunScore {
  readonly runId: string;
  readonly asOf: string;
  readonly days: number;
  readonly stages: Readonly<Record<Stage, { actual: number; forecast: number; lower95: number; upper95: number }>>;
}

/**
 * Each published run's forecast of its passed days against what happened, newest first. The interval is the total's
 * (the rows' moments add over cells and days), not a sum of daily bounds.
 */
export function runScores(rows: readonly ForecastVsActualRow[]): RunScore[] {
  const byRun = new Map<string, ForecastVsActualRow[]>();
  for (const row of rows) {
    const list = byRun.get(row.run_id);
    if (list) list.push(row);
    else byRun.set(row.run_id, [row]);
  }
  return [...byRun.values()]
    .map((list) => {
      const stage = (s: Stage) => {
        let actual = 0;
        let mean = 0;
        let ownVariance = 0;
        let sharedSd = 0;
        for (const r of list) {
          actual += r[`${s}_actual`];
          mean += r[`${s}_forecast`];
          ownVariance += r[`${s}_own_var`] ?? 0;
          sharedSd += r[`${s}_shared_sd`] ?? 0;
        }
        const total = totalDistribution({ mean, ownVariance, sharedSd });
        return { actual, forecast: mean, lower95: total.lower95, upper95: total.upper95 };
      };
      const first = list[0]!;
      return {
        runId: first.run_id,
        asOf: first.as_of,
        days: new Set(list.map((r) => r.date_day)).size,
        stages: { mqls: stage('mqls'), sqls: stage('sqls'), sqos: stage('sqos') },
      };
    })
    .sort((a, b) => b.asOf.localeCompare(a.asOf) || b.runId.localeCompare(a.runId));
}

function pastRunsTable(rows: readonly ForecastVsActualRow[]): SafeHtml {
  const scores = runScores(rows);
  if (scores.length === 0) return html`<p class="empty">No published run has a forecast day that has passed yet.</p>`;
  return html`<table class="past-runs">
<thead><tr><th rowspan="2">As of</th><th rowspan="2">Run</th><th rowspan="2">Days passed</th>${STAGES.map((s) => html`<th colspan="3">${STAGE_LABELS[s]}</th>`)}</tr>
<tr>${STAGES.map(() => html`<th>Actual</th><th>Forecast</th><th>95% interval</th>`)}</tr></thead>
<tbody>${scores.map((score) => html`<tr><td>${score.asOf}</td><td class="mono">${score.runId}</td><td class="num">${score.days}</td>${STAGES.map((s) => {
    const v = score.stages[s];
    const inside = v.actual >= v.lower95 && v.actual <= v.upper95;
    return html`<td class="num">${formatCount(v.actual)}</td><td class="num">${formatCount(v.forecast)}</td><td class="num ${inside ? 'inside' : 'outside'}">${formatInterval(v.lower95, v.upper95)} ${inside ? '✓' : '✗'}</td>`;
  })}</tr>`)}</tbody>
</table>`;
}

const BACKTEST_METRICS = [
  ['wape', 'WAPE'],
  ['signed_pct_error', 'Bias'],
  ['coverage_50', '50% coverage'],
  ['coverage_95', '95% coverage'],
] as const;
// The comparison the backtest exists for comes first; other forecasters it scored follow.
const MODEL_ORDER = ['production', 'v1', 'naive'];

function mean(values: readonly number[]): number | null {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
}

function backtestTable(backtest: StoredBacktest | null): SafeHtml {
  if (!backtest) return html`<p class="empty">No backtest is stored: run <code>funnelcast backtest</code> to compare production, v1 and naive.</p>`;
  const total = backtest.results.filter((r) => r.level === 'total');
  const models = [...new Set(total.map((r) => r.model))].sort(
    (a, b) => (MODEL_ORDER.indexOf(a) + 1 || 99) - (MODEL_ORDER.indexOf(b) + 1 || 99) || a.localeCompare(b),
  );
  const origins = new Set(backtest.results.map((r) => r.origin)).size;
  const value = (model: string, stage: Stage, metric: string) =>
    mean(total.filter((r) => r.model === model && r.stage === stage && r.metric === metric && r.value !== null).map((r) => r.value as number));
  return html`<p class="note">Backtest <span class="mono">${backtest.run.backtest_id}</span> of ${backtest.run.created_at}: ${origins} ${backtest.run.period} origins, the total of each stage, metrics averaged over origins.</p>
<table class="backtest">
<thead><tr><th>Stage</th><th>Model</th>${BACKTEST_METRICS.map(([, label]) => html`<th>${label}</th>`)}</tr></thead>
<tbody>${STAGES.flatMap((stage) => models.map((model, i) => html`<tr>${i === 0 ? html`<th rowspan="${models.length}">${STAGE_LABELS[stage]}</th>` : ''}<td>${model}</td>${BACKTEST_METRICS.map(([metric]) => html`<td class="num">${formatPercent(value(model, stage, metric))}</td>`)}</tr>`))}</tbody>
</table>`;
}

/** How past runs did: forecast against actual for every published run with passed days, and the latest backtest. */
export function trackRecordSection(rows: readonly ForecastVsActualRow[], backtest: StoredBacktest | null): SafeHtml {
  return html`<section id="track-record">
<h2>How past runs did</h2>
<h3>Published runs whose forecast days have passed</h3>
${pastRunsTable(rows)}
<h3>Latest backtest</h3>
${backtestTable(backtest)}
</section>`;
}
