import { landings, periodStart, STAGE_LABELS, STAGES, type IsoDate, type Landing, type ProductionRow } from '@funnelcast/core';
import { formatCount, formatInterval } from './format.js';
import { html, type SafeHtml } from './html.js';

/**
 * Where each stage lands this month and this quarter: core's {@link landings} of the run's rows, the function
 * `funnelcast forecast` prints, so both show the same numbers.
 */
export function currentLandings(rows: readonly ProductionRow[], asOf: IsoDate): { month: Landing[]; quarter: Landing[] } {
  const current = (by: 'month' | 'quarter') => landings(rows, by).filter((l) => l.periodStart === periodStart(asOf, by));
  return { month: current('month'), quarter: current('quarter') };
}

function cells(landing: Landing | undefined): SafeHtml {
  if (!landing) return html`<td></td><td></td><td></td><td></td>`;
  return html`<td class="num">${formatCount(landing.actual)}</td><td class="num strong">${formatCount(landing.landing)}${landing.partial ? ' *' : ''}</td><td class="num">${formatInterval(landing.lower50, landing.upper50)}</td><td class="num">${formatInterval(landing.lower95, landing.upper95)}</td>`;
}

/** The landing table. */
export function landingsSection(rows: readonly ProductionRow[], asOf: IsoDate): SafeHtml {
  const { month, quarter } = currentLandings(rows, asOf);
  const partial = [...month, ...quarter].some((l) => l.partial);
  return html`<section id="landings" class="keep">
<h2>Where we land</h2>
<table class="landings">
<thead><tr><th rowspan="2">Stage</th><th colspan="4">This month (from ${month[0]?.periodStart ?? periodStart(asOf, 'month')})</th><th colspan="4">This quarter (from ${quarter[0]?.periodStart ?? periodStart(asOf, 'quarter')})</th></tr>
<tr><th>Actual so far</th><th>Landing</th><th>50% interval</th><th>95% interval</th><th>Actual so far</th><th>Landing</th><th>50% interval</th><th>95% interval</th></tr></thead>
<tbody>${STAGES.map((stage) => html`<tr data-stage="${stage}"><th>${STAGE_LABELS[stage]}</th>${cells(month.find((l) => l.stage === stage))}${cells(quarter.find((l) => l.stage === stage))}</tr>`)}</tbody>
</table>
${partial ? html`<p class="note">* the forecast horizon ends before the period does: its last days are not counted.</p>` : ''}
</section>`;
}
