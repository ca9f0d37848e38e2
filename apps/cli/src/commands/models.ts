import type { Argv, CommandModule } from 'yargs';
import type { ModelSelectionRow } from '@funnelcast/core';
import type { GlobalOptions } from '../context.js';
import { loadConfig } from '../context.js';
import { emit, table } from '../output.js';

/** The stages whose models are chosen by backtest. */
const SELECTED_STAGES = ['mqls', 'sqls'] as const;

/** Options of `funnelcast models`. */
export interface ModelsArgs extends GlobalOptions {
  readonly stage?: (typeof SELECTED_STAGES)[number];
}

const score = (value: number | null) => (value === null ? '' : value.toFixed(3));

// Best first within a stage × segment; a candidate that could not be scored (NULL WAPE) last.
const byGroupThenWape = (a: ModelSelectionRow, b: ModelSelectionRow) =>
  a.stage.localeCompare(b.stage) ||
  (a.super_segment ?? '').localeCompare(b.super_segment ?? '') ||
  (a.wape ?? Infinity) - (b.wape ?? Infinity) ||
  a.candidate.localeCompare(b.candidate);

/** `funnelcast models`: the candidates the published run scored by backtest, and which it forecast with. */
export const modelsCommand: CommandModule<GlobalOptions, ModelsArgs> = {
  command: 'models',
  describe: 'Show the models the published forecast chose by rolling-origin backtest: errors, weights, winner',
  builder: (yargs) =>
    yargs
      .option('stage', { choices: SELECTED_STAGES, describe: 'Only this stage' })
      .example('$0 models', 'Every candidate of the published run, best first per stage and super-segment')
      .example('$0 models --stage sqls --json', 'The SQL candidates, as JSON') as unknown as Argv<ModelsArgs>,
  handler: async (args) => {
    const config = await loadConfig(args);
    const { withWarehouse } = await import('@funnelcast/pipeline');
    const rows = await withWarehouse(config, args.target, async (warehouse) => {
      await warehouse.ensureSchema();
      return (await warehouse.readModelSelection()).filter((row) => args.stage === undefined || row.stage === args.stage);
    });
    emit(args, rows, () =>
      rows.length === 0
        ? 'No model selection published: the published run (if any) scored no candidates. Run `funnelcast refresh`.'
        : [
            `Run ${rows[0]!.run_id}: candidates scored over rolling origins (lower WAPE and pinball are better)`,
            table(
              ['stage', 'super_segment', 'candidate', 'origins', 'WAPE', 'pinball', 'weight', 'chosen'],
              [...rows].sort(byGroupThenWape).map((row) => [
                row.stage,
                row.super_segment ?? '(all)',
                row.candidate,
                String(row.origins),
                score(row.wape),
                score(row.pinball),
                `${(row.weight * 100).toFixed(0)}%`,
                row.chosen ? 'yes' : '',
              ]),
            ),
          ].join('\n'),
    );
  },
};
