import type { z } from 'zod';
import { backtestJsonSchema } from './backtest.js';
import { backtestCostPlanJsonSchema, costPlanJsonSchema } from './cost-plan.js';
import { demoJsonSchema } from './demo.js';
import { doctorJsonSchema } from './doctor.js';
import { enqueueJsonSchema } from './enqueue.js';
import { errorJsonSchema } from './error.js';
import { forecastJsonSchema } from './forecast.js';
import { importJsonSchema } from './import.js';
import { lookmlJsonSchema } from './lookml.js';
import { mappingJsonSchema } from './mapping.js';
import { modelsJsonSchema } from './models.js';
import { queueStatusJsonSchema } from './queue-status.js';
import { refreshJsonSchema } from './refresh.js';
import { runsJsonSchema } from './runs.js';
import { trainJsonSchema } from './train.js';

/**
 * The schema of every command's `--json` output, by the command as typed (`queue status`; `refresh --dry-run`, whose
 * output on BigQuery is a cost plan), and of the error any of them prints. docs/json/<name>.schema.json is generated from these (`npm run generate -w @funnelcast/cli`).
 */
export const JSON_OUTPUTS = {
  backtest: backtestJsonSchema,
  'backtest --dry-run': backtestCostPlanJsonSchema,
  demo: demoJsonSchema,
  doctor: doctorJsonSchema,
  enqueue: enqueueJsonSchema,
  forecast: forecastJsonSchema,
  import: importJsonSchema,
  lookml: lookmlJsonSchema,
  mapping: mappingJsonSchema,
  models: modelsJsonSchema,
  'queue status': queueStatusJsonSchema,
  refresh: refreshJsonSchema,
  'refresh --dry-run': costPlanJsonSchema,
  runs: runsJsonSchema,
  train: trainJsonSchema,
  error: errorJsonSchema,
} as const satisfies Readonly<Record<string, z.ZodType>>;

/** A key of {@link JSON_OUTPUTS}. */
export type JsonOutputName = keyof typeof JSON_OUTPUTS;

/** The file name of an output's schema under docs/json. */
export function schemaFileName(name: JsonOutputName): string {
  return `${name.replace(/ -*/g, '-')}.schema.json`;
}
