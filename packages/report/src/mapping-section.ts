import type { MappingRow } from '@funnelcast/core';
import { formatCount, formatPercent } from './format.js';
import { html, type SafeHtml } from './html.js';

const METHOD_LABELS: Readonly<Record<string, string>> = {
  historical: 'historical',
  exposure_adjusted: 'exposure-adjusted',
  equal_fallback: 'equal fallback',
  forecast_proportions: 'forecast proportions',
};

/** Each super-segment's shares by Channel × Source, largest first, with the method behind each. */
export function mappingSection(mapping: readonly MappingRow[]): SafeHtml {
  const segments = [...new Set(mapping.map((m) => m.super_segment))];
  return html`<section id="mapping">
<h2>How each super-segment is shared</h2>
<p class="note">The SQL forecast of a super-segment is split across its Channel × Source combinations by these shares${
    mapping[0] ? html` (window ${mapping[0].window_start} to ${mapping[0].window_end}, exclusive)` : ''
  }.</p>
<div class="mapping-grid">${segments.map((segment) => {
    const rows = mapping.filter((m) => m.super_segment === segment).sort((a, b) => b.normalized_fraction - a.normalized_fraction);
    return html`<table class="mapping keep">
<caption>${segment}</caption>
<thead><tr><th>Channel</th><th>Source</th><th>Share</th><th>SQLs</th><th>Method</th></tr></thead>
<tbody>${rows.map((r) => html`<tr><td>${r.Channel_Grouping_Name}</td><td>${r.Original_source}</td><td class="num">${formatPercent(r.normalized_fraction)}</td><td class="num">${formatCount(r.sql_count)}</td><td>${METHOD_LABELS[r.weight_method] ?? r.weight_method}</td></tr>`)}</tbody>
</table>`;
  })}</div>
</section>`;
}
