import { z } from 'zod';
import { MODEL_EVALUATIONS } from '@funnelcast/core';
import { relationRowSchema } from './relation-row.js';

const stage = z.enum(['mqls', 'sqls']);

/** `funnelcast train --json`. */
export const trainJsonSchema = z
  .strictObject({
    train_id: z.string().nullable().describe('Identifies the training in model_evaluations; null when nothing was trained.'),
    target: z.string(),
    warehouse: z.string().describe('bigquery, or the kind of target that has nothing to train.'),
    skipped: z.string().nullable().describe('Why nothing was trained (an embedded target: its models are fitted at every refresh), or null.'),
    as_of: z.iso.date().nullable().describe('The models learnt from every day before this one; null when nothing was trained.'),
    since: z.iso.date().nullable().describe('The first day of training history; null when nothing was trained.'),
    dry_run: z.boolean().describe('True when nothing was trained: the models list what would be, with the bytes and cost each statement would have.'),
    price_per_tib: z.number().nullable().describe('Dollars per TiB a dry run is priced at (the target\'s pricePerTiB); null for an embedded target.'),
    models: z.array(
      z.strictObject({
        stage,
        model_type: z.enum(['ARIMA_PLUS', 'BOOSTED_TREE_REGRESSOR']),
        model_name: z.string().describe('The BigQuery ML model, versioned: <configured name>_<target>_v<version> (…_vnext in a dry run).'),
        version: z.number().int().nullable().describe('Null in a dry run.'),
        bytes: z.number().nullable().describe('Bytes the CREATE MODEL would process (dry run only).'),
        cost_usd: z.number().nullable().describe('What those bytes cost on demand at price_per_tib (dry run only).'),
      }),
    ),
    evaluations: z.array(relationRowSchema(MODEL_EVALUATIONS, [], {})).describe(`The ${MODEL_EVALUATIONS.name} rows the training stored; empty in a dry run.`),
  })
  .describe('funnelcast train --json: the models trained and their evaluations.');
