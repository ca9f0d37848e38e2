import { todayUtc, type FunnelcastConfig, type IsoDate } from '@funnelcast/core';
import { dryRunPlan, sendForecastReads, type PricedPlan } from '../cost-plan.js';
import { originReads } from './backtest.js';
import { DEFAULT_MAPPING_WINDOWS } from './mapping-backtest.js';
import { DEFAULT_ORIGIN_COUNT, daysOf, lastFullPeriods, type BacktestPeriod } from './origins.js';

/** The cost plan of a backtest: a {@link PricedPlan} of the origins and period asked for. */
export interface BacktestCostPlan extends PricedPlan {
  readonly origins: readonly IsoDate[];
  readonly period: BacktestPeriod;
}

/**
 * The cost plan of a backtest of a BigQuery target, from dry-run jobs only: per origin, the history and actuals reads
 * the backtest makes ({@link originReads}) and what forecasting at the origin reads (selection origins, BigQuery
 * models), then saving the results. Without the leads' last day (nothing is read), a count of origins means the last
 * full periods before today: give `--from`/`--to` to plan exactly the origins a backtest will use.
 * @throws ConfigError when the target is not BigQuery.
 */
export async function planBacktestCost(
  config: FunnelcastConfig,
  options: { readonly target?: string; readonly origins?: readonly IsoDate[] | number; readonly period?: BacktestPeriod; readonly now?: () => Date; readonly signal?: AbortSignal },
): Promise<BacktestCostPlan> {
  const period = options.period ?? 'month';
  const now = options.now ?? (() => new Date());
  const origins = Array.isArray(options.origins)
    ? [...(options.origins as readonly IsoDate[])].sort()
    : lastFullPeriods(todayUtc(now()), period, (options.origins as number | undefined) ?? DEFAULT_ORIGIN_COUNT);
  const plan = await dryRunPlan(config, options, async (warehouse, ledger) => {
    ledger.step = 'schema';
    await warehouse.ensureSchema();
    for (const origin of origins) {
      const reads = originReads(config, origin, period, DEFAULT_MAPPING_WINDOWS);
      await sendForecastReads(warehouse, ledger, config, reads.history, daysOf(origin, period));
      ledger.step = `actuals of ${origin}`;
      await warehouse.readHistory(reads.actuals);
    }
    ledger.step = 'save';
    const createdAt = now().toISOString();
    await warehouse.saveBacktest({ backtest_id: 'dry-run', created_at: createdAt, period, origins_json: JSON.stringify(origins), models_json: '[]', config_hash: '' }, []);
  });
  return { ...plan, origins, period };
}
