import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { resolveTarget, type FunnelcastConfig, type Warehouse } from '@funnelcast/core';
import type { DuckDbWarehouse } from '@funnelcast/warehouse-duckdb';

/** An open warehouse and the name of the target it serves. */
export interface OpenedWarehouse {
  readonly name: string;
  readonly warehouse: Warehouse;
}

/**
 * Opens the warehouse of a configured target. Drivers load lazily, so commands that never touch a warehouse (and
 * `--help`) stay instant.
 * @throws ConfigError when the target is unknown.
 */
export async function openWarehouse(config: FunnelcastConfig, targetName?: string): Promise<OpenedWarehouse> {
  const { name, target } = resolveTarget(config, targetName);
  if (target.type === 'duckdb') {
    return { name, warehouse: await openDuckDb(config, target.path) };
  }
  const { createBigQueryWarehouse } = await import('@funnelcast/warehouse-bigquery');
  return { name, warehouse: createBigQueryWarehouse(target, { superSegments: config.superSegments }) };
}

/** Opens (creating its folder if needed) the embedded DuckDB warehouse at `path`. */
export async function openDuckDb(config: FunnelcastConfig, path: string): Promise<DuckDbWarehouse> {
  await mkdir(dirname(path), { recursive: true });
  const { createDuckDbWarehouse } = await import('@funnelcast/warehouse-duckdb');
  return createDuckDbWarehouse({ path, superSegments: config.superSegments });
}

/** Runs `work` with the target's warehouse open, closing it afterwards whatever happens. */
export async function withWarehouse<T>(
  config: FunnelcastConfig,
  targetName: string | undefined,
  work: (warehouse: Warehouse, name: string) => Promise<T>,
): Promise<T> {
  const { name, warehouse } = await openWarehouse(config, targetName);
  try {
    return await work(warehouse, name);
  } finally {
    await warehouse.close();
  }
}
