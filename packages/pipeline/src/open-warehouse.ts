import { access } from 'node:fs/promises';
import { ConfigError, resolveTarget, type FunnelcastConfig, type Warehouse } from '@funnelcast/core';
import type { DuckDbWarehouse } from '@funnelcast/warehouse-duckdb';

/** An open warehouse and the name of the target it serves. */
export interface OpenedWarehouse {
  readonly name: string;
  readonly warehouse: Warehouse;
}

/**
 * Whether opening an embedded target may create its database: only the commands that load or compute data
 * (import, demo, refresh) do; a reading command on a mistyped path must refuse instead of leaving an empty file.
 */
export type OpenMode = 'create' | 'existing';

/**
 * Opens the warehouse of a configured target. Drivers load lazily, so commands that never touch a warehouse (and
 * `--help`) stay instant. `signal` cancels a BigQuery target's jobs in flight when it aborts.
 * @throws ConfigError when the target is unknown, or its database is missing and `mode` is `existing`.
 */
export async function openWarehouse(config: FunnelcastConfig, targetName: string | undefined, mode: OpenMode, signal?: AbortSignal): Promise<OpenedWarehouse> {
  const { name, target } = resolveTarget(config, targetName);
  if (target.type === 'duckdb') {
    return { name, warehouse: await openDuckDb(config, target.path, mode) };
  }
  const { createBigQueryWarehouse } = await import('@funnelcast/warehouse-bigquery');
  const { holidayRegion, arimaHorizon, decomposeTimeSeries, scratchModelHours } = config.training;
  return {
    name,
    warehouse: createBigQueryWarehouse(target, {
      superSegments: config.superSegments,
      targetName: name,
      training: { holidayRegion, arimaHorizon, decomposeTimeSeries, scratchModelHours },
      ...(signal ? { signal } : {}),
    }),
  };
}

/**
 * Opens the embedded DuckDB warehouse at `path`; with `create`, makes the file and its folder when missing.
 * @throws ConfigError when `mode` is `existing` and there is no file at `path`.
 */
export async function openDuckDb(config: FunnelcastConfig, path: string, mode: OpenMode): Promise<DuckDbWarehouse> {
  if (mode === 'existing' && !(await databaseExists(path))) {
    throw new ConfigError(
      [{ where: path, message: 'no such file; `funnelcast import <leads file>` or `funnelcast demo` creates it (check the path for a typo)' }],
      'No funnelcast database there:',
    );
  }
  const { createDuckDbWarehouse } = await import('@funnelcast/warehouse-duckdb');
  return createDuckDbWarehouse({ path, superSegments: config.superSegments });
}

/** Whether the embedded database at `path` exists (`:memory:` always does). */
export async function databaseExists(path: string): Promise<boolean> {
  if (path === ':memory:') return true;
  return access(path).then(
    () => true,
    () => false,
  );
}

/**
 * Runs `work` with the target's existing warehouse open, closing it afterwards whatever happens: the way reading
 * commands look at a warehouse, so they never create one.
 * @throws ConfigError when the target is unknown or its database is missing.
 */
export async function withWarehouse<T>(
  config: FunnelcastConfig,
  targetName: string | undefined,
  work: (warehouse: Warehouse, name: string) => Promise<T>,
): Promise<T> {
  const { name, warehouse } = await openWarehouse(config, targetName, 'existing');
  try {
    return await work(warehouse, name);
  } finally {
    await warehouse.close();
  }
}
