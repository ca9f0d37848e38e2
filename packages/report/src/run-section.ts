import { runWarnings, type ModelSelectionRow, type RunRecord } from '@funnelcast/core';
import { formatPercent } from './format.js';
import { html, type SafeHtml } from './html.js';

// A run's timings are stored as JSON text; one written by an older or foreign writer is shown as far as it reads.
function timings(record: RunRecord): [string, number][] {
  if (!record.timings_json) return [];
  try {
    const parsed: unknown = JSON.parse(record.timings_json);
    if (typeof parsed !== 'object' || parsed === null) return [];
    return Object.entries(parsed).filter((e): e is [string, number] => typeof e[1] === 'number');
  } catch {
    return [];
  }
}

const score = (v: number | null) => (v === null ? '–' : v.toFixed(3));

/** Why each stage's model was chosen: the candidates' backtest errors at refresh, the chosen one marked. */
function selectionTable(selection: readonly ModelSelectionRow[]): SafeHtml {
  if (selection.length === 0) {
    return html`<p class="empty">No model selection was stored with this run: its models are the configured ones.</p>`;
  }
  return html`<p class="note">At refresh each stage's candidates were scored by a rolling-origin backtest on the run's own history; the lowest error wins (or a blend, weighted).</p>
<table class="selection">
<thead><tr><th>Stage</th><th>Super-segment</th><th>Candidate</th><th>Origins</th><th>WAPE</th><th>Pinball</th><th>Weight</th><th>Chosen</th></tr></thead>
<tbody>${selection.map((r) => html`<tr class="${r.chosen ? 'chosen' : ''}"><td>${r.stage}</td><td>${r.super_segment ?? 'all'}</td><td class="mono">${r.candidate}</td><td class="num">${r.origins}</td><td class="num">${formatPercent(r.wape)}</td><td class="num">${score(r.pinball)}</td><td class="num">${r.weight.toFixed(2)}</td><td>${r.chosen ? '✓ chosen' : ''}</td></tr>`)}</tbody>
</table>`;
}

/** The run: as-of, horizon, models and why, warnings, timings. */
export function runSection(run: RunRecord, production: boolean, selection: readonly ModelSelectionRow[]): SafeHtml {
  const warnings = runWarnings(run);
  const phases = timings(run);
  return html`<section id="run">
<h2>The run</h2>
<dl class="facts">
<dt>Run</dt><dd class="mono">${run.run_id}${production ? ' (production)' : ` (${run.status}, not production)`}</dd>
<dt>As of</dt><dd>${run.as_of}</dd>
<dt>Horizon</dt><dd>${run.horizon} days</dd>
<dt>MQL model</dt><dd class="mono">${run.mql_model}</dd>
<dt>SQL model</dt><dd class="mono">${run.sql_model}</dd>
<dt>Published</dt><dd>${run.published_at ?? '–'}</dd>
<dt>Rows</dt><dd>${run.row_count ?? '–'} forecast, ${run.mapping_row_count ?? '–'} mapping</dd>
</dl>
<h3>Models and why they were chosen</h3>
${selectionTable(selection)}
<h3>Warnings</h3>
${warnings.length ? html`<ul class="warnings">${warnings.map((w) => html`<li>${w}</li>`)}</ul>` : html`<p class="empty">None.</p>`}
<h3>Timings</h3>
${phases.length ? html`<table class="timings"><tbody>${phases.map(([phase, ms]) => html`<tr><td>${phase}</td><td class="num">${(ms / 1000).toFixed(2)} s</td></tr>`)}</tbody></table>` : html`<p class="empty">Not recorded.</p>`}
</section>`;
}
