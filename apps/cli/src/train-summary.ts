import type { ModelEvaluationRow } from '@funnelcast/core';
import type { TrainSummary } from '@funnelcast/pipeline';
import { table } from './output.js';
import { formatBytes, formatUsd } from './render-cost-plan.js';

const number = (value: number | null) => (value === null ? '' : Number.isInteger(value) ? String(value) : value.toFixed(3));

// ARIMA_PLUS metrics come per series: one line per series with its metrics side by side; the regressor's one per metric.
function evaluationTable(rows: readonly ModelEvaluationRow[]): string {
  const perSeries = rows.filter((r) => r.series !== null);
  const modelWide = rows.filter((r) => r.series === null);
  const parts: string[] = [];
  if (modelWide.length) parts.push(table(['model', 'metric', 'value'], modelWide.map((r) => [r.model_name, r.metric, number(r.value)])));
  if (perSeries.length) {
    const metrics = [...new Set(perSeries.map((r) => r.metric))];
    const bySeries = new Map<string, ModelEvaluationRow[]>();
    for (const r of perSeries) {
      const key = `${r.model_name}\u0000${r.series}`;
      bySeries.set(key, [...(bySeries.get(key) ?? []), r]);
    }
    parts.push(
      table(
        ['model', 'series', ...metrics],
        [...bySeries.values()].map((list) => [list[0]!.model_name, list[0]!.series ?? '', ...metrics.map((m) => number(list.find((r) => r.metric === m)?.value ?? null))]),
      ),
    );
  }
  return parts.join('\n\n');
}

/** `funnelcast train`'s text: the models trained and their evaluations, or in a dry run the bytes and cost of each. */
export function renderTrainSummary(summary: TrainSummary): string {
  if (summary.skipped !== null) return `Nothing to train: ${summary.skipped}.`;
  if (summary.dryRun) {
    const rows = summary.models.map((m) => [m.stage, m.modelName, m.modelType, m.bytes === null ? 'n/a' : formatBytes(m.bytes), m.costUsd === null ? 'not priced' : formatUsd(m.costUsd)]);
    const bytes = summary.models.reduce((sum, m) => sum + (m.bytes ?? 0), 0);
    const cost = summary.models.reduce((sum, m) => sum + (m.costUsd ?? 0), 0);
    return [
      `Dry run on ${summary.target}: only dry-run jobs were sent; nothing trained. Training on ${summary.since} … the day before ${summary.asOf} would create:`,
      table(['stage', 'model', 'type', 'bytes', 'cost'], rows),
      '',
      `Total: ${formatBytes(bytes)}, about ${formatUsd(cost)} at $${summary.pricePerTib ?? 0}/TiB (pricePerTiB in the target).`,
    ].join('\n');
  }
  const models = table(
    ['stage', 'model', 'type', 'version'],
    summary.models.map((m) => [m.stage, m.modelName, m.modelType, String(m.version ?? '')]),
  );
  return [
    `Trained on ${summary.target} (${summary.trainId}) from ${summary.since} to the day before ${summary.asOf}; refreshes now read these versions:`,
    models,
    '',
    'Evaluations (stored in model_evaluations):',
    evaluationTable(summary.evaluations),
  ].join('\n');
}
