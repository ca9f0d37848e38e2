import {
  AUTO_MODEL,
  ConfigError,
  IN_WAREHOUSE_MODELS,
  isIsoDate,
  MAX_HORIZON,
  resolveTarget,
  todayUtc,
  type FunnelcastConfig,
  type HistoryRequest,
  type IsoDate,
} from '@funnelcast/core';
import type { DryRunLedger, StatementCost } from '@funnelcast/warehouse-bigquery';
import { costUsd } from './on-demand-price.js';
import { historyRequest } from './compute-forecast.js';
import { newRunRecord } from './refresh.js';
import { leaseMsOf } from './refresh-leases.js';
import { SELECTION, selectionOriginDates } from './selection/forecast-stages.js';

/** One statement of a cost plan, priced. */
export interface PricedStatement extends StatementCost {
  /** Dollars at the target's price per TiB, or null when BigQuery could not price the statement. */
  readonly costUsd: number | null;
}

/** What a command on BigQuery would send and scan, from dry-run jobs only: nothing ran, nothing was written. */
export interface PricedPlan {
  readonly target: string;
  /** Dollars per TiB the costs are priced at (the target's `pricePerTiB`). */
  readonly pricePerTib: number;
  readonly statements: readonly PricedStatement[];
  readonly totalBytes: number;
  readonly totalCostUsd: number;
  /** Statements BigQuery refused to price (e.g. a table or model the real run would have created first). */
  readonly unpriced: number;
}

/** The cost plan of a refresh: a {@link PricedPlan} of the as-of date and horizon asked for. */
export interface CostPlan extends PricedPlan {
  readonly asOf: IsoDate;
  readonly horizon: number;
}

/**
 * What computing a forecast from `request` sends: that history read, the reads at every origin the model selection
 * may use (with `auto`), and the configured BigQuery models' reads at each.
 */
export async function sendForecastReads(warehouse: DryRunWarehouse, ledger: DryRunLedger, config: FunnelcastConfig, request: HistoryRequest, horizon: number): Promise<void> {
  const selecting = config.models.mqls === AUTO_MODEL || config.models.sqls === AUTO_MODEL;
  const origins = selecting ? selectionOriginDates(request.asOf) : [];
  const inWarehouse = IN_WAREHOUSE_MODELS.filter((model) => model === config.models.mqls || model === config.models.sqls);
  for (const at of [request.asOf, ...origins]) {
    ledger.step = `history at ${at}`;
    await warehouse.readHistory(at === request.asOf ? request : historyRequest(config, at));
    for (const model of inWarehouse) {
      ledger.step = `${model} at ${at}`;
      await warehouse.sendModelRead(model, at, at === request.asOf ? horizon : SELECTION.scoredDays);
    }
  }
}

/** Options of {@link planRefreshCost}. */
export interface CostPlanOptions {
  readonly target?: string;
  readonly asOf?: IsoDate;
  readonly horizon?: number;
  readonly now?: () => Date;
  readonly signal?: AbortSignal;
}


/** A BigQuery warehouse in dry-run mode, as {@link dryRunPlan} hands it to a command's steps. */
export type DryRunWarehouse = Awaited<ReturnType<typeof import('@funnelcast/warehouse-bigquery').createBigQueryWarehouse>>;

/**
 * The `--dry-run` of any command on a BigQuery target: `steps` make the command's own warehouse calls on a warehouse
 * in dry-run mode (every statement a BigQuery dry-run job, reads returning nothing), setting `ledger.step` as they go;
 * each statement is priced at the target's `pricePerTiB`.
 * @throws ConfigError when the target is not BigQuery.
 */
export async function dryRunPlan(
  config: FunnelcastConfig,
  options: { readonly target?: string; readonly signal?: AbortSignal },
  steps: (warehouse: DryRunWarehouse, ledger: DryRunLedger) => Promise<void>,
): Promise<PricedPlan> {
  const { name, target } = resolveTarget(config, options.target);
  if (target.type !== 'bigquery') {
    throw new ConfigError([{ where: `targets.${name}`, message: 'is not a BigQuery target: a cost plan prices BigQuery jobs (on DuckDB, --dry-run computes without publishing)' }]);
  }
  const ledger: DryRunLedger = { step: '', costs: [] };
  const { createBigQueryWarehouse } = await import('@funnelcast/warehouse-bigquery');
  const warehouse = createBigQueryWarehouse(target, { superSegments: config.superSegments, dryRun: ledger, ...(options.signal ? { signal: options.signal } : {}) });
  try {
    await steps(warehouse, ledger);
  } finally {
    await warehouse.close();
  }
  const statements = ledger.costs.map((c): PricedStatement => ({ ...c, costUsd: c.bytes === null ? null : costUsd(c.bytes, target.pricePerTiB) }));
  const totalBytes = statements.reduce((sum, s) => sum + (s.bytes ?? 0), 0);
  return {
    target: name,
    pricePerTib: target.pricePerTiB,
    statements,
    totalBytes,
    totalCostUsd: costUsd(totalBytes, target.pricePerTiB),
    unpriced: statements.filter((s) => s.bytes === null).length,
  };
}

/**
 * The cost plan of a refresh of a BigQuery target: every statement a refresh sends, each as a BigQuery dry-run job,
 * built by the same warehouse methods the refresh calls — schema DDL, the lease sweep, history reads at the as-of
 * date and at every origin the model selection may use, reads of the in-warehouse models configured, and the run's
 * start and publish with no rows. Nothing runs, so no forecast is computed: the plan is an upper bound on the reads
 * (the selection drops origins with too little history) and the publish is priced without its rows.
 * @throws ConfigError when the target is not BigQuery, or as-of / horizon are invalid.
 */
export async function planRefreshCost(config: FunnelcastConfig, options: CostPlanOptions = {}): Promise<CostPlan> {
  const now = options.now ?? (() => new Date());
  const asOf = options.asOf ?? todayUtc(now());
  const horizon = options.horizon ?? config.horizon;
  if (!isIsoDate(asOf) || !Number.isInteger(horizon) || horizon < 1 || horizon > MAX_HORIZON) {
    throw new ConfigError([{ where: 'as-of / horizon', message: `need a YYYY-MM-DD date and 1–${MAX_HORIZON} days, got ${asOf} / ${horizon}` }], 'Invalid refresh options:');
  }
  const record = newRunRecord(config, {
    runId: 'dry-run',
    asOf,
    horizon,
    startedAt: now().toISOString(),
    models: { mqls: config.models.mqls, sqls: config.models.sqls },
    owner: 'dry-run',
    requestId: null,
  });
  const plan = await dryRunPlan(config, options, async (warehouse, ledger) => {
    ledger.step = 'schema';
    await warehouse.ensureSchema();
    ledger.step = 'leases';
    await warehouse.abandonExpiredRuns(now(), leaseMsOf(config));
    await sendForecastReads(warehouse, ledger, config, historyRequest(config, asOf), horizon);
    ledger.step = 'publish';
    await warehouse.startRun(record);
    await warehouse.publishRun({ ...record, status: 'published', published_at: record.started_at, finished_at: record.started_at }, { rows: [], mapping: [], selection: [] });
    await warehouse.productionRun();
  });
  return { ...plan, asOf, horizon };
}
