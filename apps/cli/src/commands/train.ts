import type { Argv, CommandModule } from 'yargs';
import type { ModelEvaluationRow } from '@funnelcast/core';
import type { TrainSummary } from '@funnelcast/pipeline';
import type { GlobalOptions } from '../context.js';
import { loadConfig } from '../context.js';
import { emit, table } from '../output.js';

/** Options of `funnelcast train`. */
export interface TrainArgs extends GlobalOptions {
  readonly stage?: 'mqls' | 'sqls';
  readonly 'dry-run': boolean;
}

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
    for (const r of perSeries) bySeries.set(`${r.model_name}\u0000${r.series}`, [...(bySeries.get(`${r.model_name}\u0000${r.series}`) ?? []), r]);
    parts.push(
      table(
        ['model', 'series', ...metrics],
        [...bySeries.values()].map((list) => [list[0]!.model_name, list[0]!.series ?? '', ...metrics.map((m) => number(list.find((r) => r.metric === m)?.value ?? null))]),
      ),
    );
  }
  return parts.join('\n\n');
}

function render(summary: TrainSummary): string {
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

/** `funnelcast train`: trains the next version of a BigQuery target's ML models and prints their evaluations. */
export const trainCommand: CommandModule<GlobalOptions, TrainArgs> = {
  command: 'train',
  describe:
    'Train the BigQuery ML models of a bigquery target (ARIMA_PLUS for MQLs, the V3.1 boosted tree for SQLs) as their next ' +
    'version, evaluate them (ML.ARIMA_EVALUATE, ML.EVALUATE) and store the evaluations in model_evaluations; refreshes read ' +
    'the newest version and never train. An embedded (DuckDB) target has nothing to train: its models are fitted at every refresh',
  builder: (yargs) =>
    yargs
      .option('stage', { choices: ['mqls', 'sqls'] as const, describe: 'Train only this stage\'s model' })
      .option('dry-run', { type: 'boolean', default: false, describe: 'Price each CREATE MODEL with a dry-run job; train and write nothing' })
      .example('$0 train', 'Train both models of the default target and print their evaluations')
      .example('$0 train --stage mqls --dry-run --json', 'What retraining ARIMA_PLUS would scan, without training it, as JSON') as unknown as Argv<TrainArgs>,
  handler: async (args) => {
    const config = await loadConfig(args);
    const { train } = await import('@funnelcast/pipeline');
    const summary = await train(config, {
      ...(args.target !== undefined ? { target: args.target } : {}),
      ...(args.stage !== undefined ? { stage: args.stage } : {}),
      dryRun: args['dry-run'],
    });
    emit(args, summary, () => render(summary));
  },
};
