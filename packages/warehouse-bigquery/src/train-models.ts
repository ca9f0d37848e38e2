import { type ModelEvaluationRow, type TrainedModel, type TrainRequest, type TrainResult } from '@funnelcast/core';
import { arimaEvaluateSql, arimaPlusModelSql, boostedTreeModelSql, evaluateSql, MQL_SERIES_COLUMNS } from './bqml-sql.js';
import type { DatasetRef } from './ddl.js';
import type { JobRunner } from './job-runner.js';
import type { LeadsSource } from './leads-source.js';
import { arimaEvaluationRows, latestTrainedVersion, regressionEvaluationRows, storeEvaluations, versionedModelName, type EvaluatedModel } from './model-registry.js';
import { mqlTrainingSql, sqlTrainingSql } from './training-data-sql.js';

/** Where `funnelcast train` reads, names and writes. */
export interface TrainContext {
  readonly jobs: JobRunner;
  /** The target's dataset: `model_evaluations` lives here. */
  readonly ref: DatasetRef;
  /** The backquoted path of a model of this name (in the target's model dataset). */
  readonly modelPath: (name: string) => string;
  readonly leads: LeadsSource;
  /** The configured base names of the two models. */
  readonly baseNames: Readonly<Record<'mqls' | 'sqls', string>>;
}

/** Each stage's model: its type, its CREATE MODEL statement and how its evaluation becomes rows. */
function stageModel(context: TrainContext, request: TrainRequest, stage: 'mqls' | 'sqls') {
  const { since, asOf, settings } = request;
  if (stage === 'mqls') {
    return {
      modelType: 'ARIMA_PLUS',
      create: (path: string) =>
        arimaPlusModelSql(path, { idColumns: MQL_SERIES_COLUMNS, dataColumn: 'mqls', horizon: settings.arimaHorizon }, settings, mqlTrainingSql(context.leads, since, asOf)),
      evaluate: arimaEvaluateSql,
      rows: arimaEvaluationRows,
    };
  }
  return {
    modelType: 'BOOSTED_TREE_REGRESSOR',
    create: (path: string) => boostedTreeModelSql(path, sqlTrainingSql(context.leads, since, asOf)),
    evaluate: evaluateSql,
    rows: regressionEvaluationRows,
  };
}

/**
 * Trains the next version of each requested stage's model on the leads before `asOf`, evaluates it and stores the
 * evaluation in `model_evaluations` (which makes it the version refreshes read). A dry run prices each CREATE MODEL
 * with a dry-run job under the name `…_vnext` and sends nothing else.
 */
export async function trainModels(context: TrainContext, request: TrainRequest): Promise<TrainResult> {
  const { jobs, ref } = context;
  const models: TrainedModel[] = [];
  const evaluations: ModelEvaluationRow[] = [];
  for (const stage of request.stages) {
    const model = stageModel(context, request, stage);
    if (request.dryRun) {
      const modelName = versionedModelName(context.baseNames[stage], request.target, 'next');
      models.push({ stage, modelType: model.modelType, modelName, version: null, bytes: await jobs.dryRun(model.create(context.modelPath(modelName))) });
      continue;
    }
    const version = ((await latestTrainedVersion(jobs, ref, request.target, stage))?.version ?? 0) + 1;
    const modelName = versionedModelName(context.baseNames[stage], request.target, version);
    const path = context.modelPath(modelName);
    await jobs.query(model.create(path));
    const evaluated: EvaluatedModel = {
      train_id: request.trainId,
      target: request.target,
      stage,
      model_type: model.modelType,
      model_name: modelName,
      version,
      trained_at: request.trainedAt,
      data_end: request.asOf,
    };
    const rows = model.rows(evaluated, await jobs.query(model.evaluate(path)));
    // The rows are also the registry entry: a version without them would never be read.
    if (rows.length === 0) throw new Error(`${model.evaluate(path)} returned no rows for the model just trained`);
    await storeEvaluations(jobs, ref, rows);
    models.push({ stage, modelType: model.modelType, modelName, version, bytes: null });
    evaluations.push(...rows);
  }
  return { models, evaluations };
}
