import { z } from 'zod';

const statementSchema = z.strictObject({
  step: z.string().describe('The part of the command that sends it: schema, leases, history at <date>, <model> at <date>, publish.'),
  statement: z.string().describe('The statement kind and the relations it names, e.g. CREATE TABLE IF NOT EXISTS forecast_runs.'),
  bytes: z.number().int().nullable().describe('Bytes BigQuery says it would process; null when it could not price it.'),
  cost_usd: z.number().nullable().describe('Dollars at price_per_tib; null when unpriced.'),
  error: z.string().nullable().describe('Why BigQuery could not price it (a table or model the real run would have created first, a missing grant).'),
});

/** The keys of every BigQuery cost plan (`--dry-run --json`); a command's plan adds what it was asked for. */
export const pricedPlanShape = {
  target: z.string(),
  price_per_tib: z.number().describe('Dollars per TiB scanned (the target pricePerTiB, default the on-demand list price).'),
  statements: z.array(statementSchema).describe('Every statement the command would send, in order, each priced by a BigQuery dry-run job.'),
  total_bytes: z.number().int(),
  total_cost_usd: z.number(),
  unpriced: z.number().int().describe('Statements BigQuery refused to price.'),
};

/** What `funnelcast refresh --dry-run --json` prints on a BigQuery target: the cost plan, from dry-run jobs only. */
export const costPlanJsonSchema = z
  .strictObject({
    ...pricedPlanShape,
    as_of: z.iso.date(),
    horizon: z.number().int(),
  })
  .describe('funnelcast refresh --dry-run --json on BigQuery: what a refresh would scan and cost; nothing ran and nothing was written.');

/** What `funnelcast backtest --dry-run --json` prints on a BigQuery target: the cost plan of the backtest. */
export const backtestCostPlanJsonSchema = z
  .strictObject({
    ...pricedPlanShape,
    origins: z.array(z.iso.date()).describe('The origins planned: --from/--to, or the last full periods before today.'),
    period: z.enum(['month', 'quarter']),
  })
  .describe('funnelcast backtest --dry-run --json on BigQuery: what a backtest would scan and cost; nothing ran and nothing was stored.');
