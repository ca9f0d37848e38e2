import { randomBytes } from 'node:crypto';
import {
  addDays,
  InputError,
  resolveTarget,
  todayUtc,
  type FunnelcastConfig,
  type IsoDate,
  type ModelEvaluationRow,
  type TrainedModel,
  type Warehouse,
} from '@funnelcast/core';
import { openWarehouse } from './open-warehouse.js';
import { costUsd } from './on-demand-price.js';

/** The stages `funnelcast train` trains a model for: ARIMA_PLUS for MQLs, the V3.1 regressor for SQLs. */
export const TRAINED_STAGES = ['mqls', 'sqls'] as const;

/** Options of {@link train}. */
export interface TrainOptions {
  /** A configured target. @defaultValue the config's `defaultTarget` */
  readonly target?: string;
  /** Train only this stage's model. @defaultValue both */
  readonly stage?: (typeof TRAINED_STAGES)[number];
  /** Price the training statements with dry-run jobs; write and train nothing. @defaultValue false */
  readonly dryRun?: boolean;
  /** The clock of the as-of date and `trained_at`. @defaultValue `() => new Date()` */
  readonly now?: () => Date;
  /** An open warehouse to use instead of opening the target's (tests). */
  readonly warehouse?: Warehouse;
  /** Cancels the BigQuery job in flight (a CREATE MODEL included) when it aborts: Ctrl-C, a worker shutting down. */
  readonly signal?: AbortSignal;
}

/** What {@link train} did. */
export interface TrainSummary {
  /** Null when nothing was trained (an embedded target). */
  readonly trainId: string | null;
  readonly target: string;
  /** `bigquery`, or the kind of target that has nothing to train. */
  readonly warehouse: string;
  /** Why nothing was trained (an embedded target), or null. */
  readonly skipped: string | null;
  /** The models learn from every day before this one; null when nothing was trained. */
  readonly asOf: IsoDate | null;
  readonly since: IsoDate | null;
  readonly dryRun: boolean;
  /** Dollars per TiB a dry run's bytes are priced at (the target's `pricePerTiB`); null for an embedded target. */
  readonly pricePerTib: number | null;
  /** Each model, with what its training statement would cost on demand in a dry run (null once it ran). */
  readonly models: readonly (TrainedModel & { readonly costUsd: number | null })[];
  /** As stored in `model_evaluations`; none in a dry run. */
  readonly evaluations: readonly ModelEvaluationRow[];
}

/** `tr_<start, UTC to the second>_<6 random hex>`. */
const trainIdFor = (at: Date) => `tr_${at.toISOString().replace(/[-:]/g, '').slice(0, 15)}_${randomBytes(3).toString('hex')}`;

/**
 * Trains the next version of a BigQuery target's models on the history before today (or before the day after the
 * data's last day, when the data stops earlier), `historyDays` long, and stores their evaluations. Refreshes read
 * the newest version; they never train.
 * An embedded target has nothing to train (its models are fitted at every refresh): the summary says so, `skipped`.
 * @throws InputError when there are no leads to train on.
 */
export async function train(config: FunnelcastConfig, options: TrainOptions = {}): Promise<TrainSummary> {
  const { name: target, target: targetConfig } = resolveTarget(config, options.target);
  const dryRun = options.dryRun ?? false;
  if (targetConfig.type !== 'bigquery' && !options.warehouse?.trainModels) {
    return {
      trainId: null,
      target,
      warehouse: targetConfig.type,
      skipped: `${target} is a ${targetConfig.type} target: its embedded models are fitted at every refresh and need no training (funnelcast train trains the BigQuery ML models of a bigquery target)`,
      asOf: null,
      since: null,
      dryRun,
      pricePerTib: null,
      models: [],
      evaluations: [],
    };
  }
  const now = (options.now ?? (() => new Date()))();
  const opened = options.warehouse ? undefined : await openWarehouse(config, target, 'existing', options.signal);
  const warehouse = options.warehouse ?? opened!.warehouse;
  try {
    let asOf = todayUtc(now);
    // A dry run sends nothing but dry-run jobs: it prices training up to today without looking at the data.
    if (!dryRun) {
      await warehouse.ensureSchema();
      const data = await warehouse.describeData();
      if (!data) throw new InputError([{ where: 'leads', message: 'there are none to train on: check the target\'s leads setting' }]);
      const dataEnd = addDays(data.lastDate, 1);
      if (dataEnd < asOf) asOf = dataEnd;
    }
    const since = addDays(asOf, -config.historyDays);
    const { holidayRegion, arimaHorizon, decomposeTimeSeries } = config.training;
    const trainId = trainIdFor(now);
    const result = await warehouse.trainModels!({
      target,
      trainId,
      trainedAt: now.toISOString(),
      asOf,
      since,
      stages: options.stage ? [options.stage] : [...TRAINED_STAGES],
      settings: { holidayRegion, arimaHorizon, decomposeTimeSeries },
      dryRun,
    });
    const pricePerTib = targetConfig.type === 'bigquery' ? targetConfig.pricePerTiB : null;
    const models = result.models.map((m) => ({ ...m, costUsd: m.bytes === null || pricePerTib === null ? null : costUsd(m.bytes, pricePerTib) }));
    return { trainId, target, warehouse: warehouse.kind, skipped: null, asOf, since, dryRun, pricePerTib, models, evaluations: result.evaluations };
  } finally {
    await opened?.warehouse.close();
  }
}
