import type { ModelEvaluationRow } from '@funnelcast/core';
import type { TrainSummary } from '@funnelcast/pipeline';
import { table } from './output.js';

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

/** `funnelcast train`'s text: the models trained (or, in a dry run, the bytes each would scan) and their evaluations. */
export function renderTrainSummary(summary: TrainSummary): string {
  if (summary.skipped !== null) return `Nothing to train: ${summary.skipped}.`;
  const models = table(
    ['stage', 'model', 'type', summary.dryRun ? 'bytes' : 'version'],
    summary.models.map((m) => [m.stage, m.modelName, m.modelType, summary.dryRun ? String(m.bytes ?? '') : String(m.version ?? '')]),
  );
  if (summary.dryRun) return [`Dry run on ${summary.target}: nothing trained. Training on ${summary.since} … the day before ${summary.asOf} would create:`, models].join('\n');
  return [
    `Trained on ${summary.target} (${summary.trainId}) from ${summary.since} to the day before ${summary.asOf}; refreshes now read these versions:`,
    models,
    '',
    'Evaluations (stored in model_evaluations):',
    evaluationTable(summary.evaluations),
  ].join('\n');
}
