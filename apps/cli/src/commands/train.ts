import type { Argv, CommandModule } from 'yargs';
import type { GlobalOptions } from '../context.js';
import { loadConfig } from '../context.js';
import { emit } from '../output.js';
import { renderTrainSummary } from '../train-summary.js';

/** Options of `funnelcast train`. */
export interface TrainArgs extends GlobalOptions {
  readonly stage?: 'mqls' | 'sqls';
  readonly 'dry-run': boolean;
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
      .example('$0 train --stage mqls --dry-run --json', 'What retraining ARIMA_PLUS would scan and cost, without training it, as JSON') as unknown as Argv<TrainArgs>,
  handler: async (args) => {
    const config = await loadConfig(args);
    const { train } = await import('@funnelcast/pipeline');
    const summary = await train(config, {
      ...(args.target !== undefined ? { target: args.target } : {}),
      ...(args.stage !== undefined ? { stage: args.stage } : {}),
      dryRun: args['dry-run'],
      ...(args.signal ? { signal: args.signal } : {}),
    });
    emit(args, summary, () => renderTrainSummary(summary));
  },
};
