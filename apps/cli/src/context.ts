import type { FunnelcastConfig } from '@funnelcast/core';
import { note } from './output.js';

/** Options every command accepts. */
export interface GlobalOptions {
  /** Path of a JSON or YAML config file. */
  readonly config?: string;
  /** Print pure JSON on stdout. */
  readonly json: boolean;
  /** DuckDB file of the target (overrides the config). */
  readonly db?: string;
  /** The configured target to use. */
  readonly target?: string;
  /** Aborted on Ctrl-C or SIGTERM: the command stops and cancels its BigQuery jobs in flight (set by main.ts). */
  readonly signal?: AbortSignal;
}

/**
 * The validated configuration for a command: the `--config` file (or `funnelcast.config.*` in the working
 * directory, or the defaults) with `--db` applied to the chosen target.
 */
export async function loadConfig(options: GlobalOptions): Promise<FunnelcastConfig> {
  const { loadConfigFile, withDatabasePath } = await import('@funnelcast/pipeline');
  const { config } = await loadConfigFile(options.config);
  return options.db ? withDatabasePath(config, options.target ?? config.defaultTarget, options.db) : config;
}

/**
 * Runs a command that may create the target's embedded database (import, demo, refresh) and says on stderr when it
 * did, so a mistyped path shows up at once — even when the command then fails.
 */
export async function creatingDatabase<T>(config: FunnelcastConfig, targetName: string | undefined, work: () => Promise<T>): Promise<T> {
  const { resolveTarget } = await import('@funnelcast/core');
  const { target } = resolveTarget(config, targetName);
  if (target.type !== 'duckdb') return work();
  const { databaseExists } = await import('@funnelcast/pipeline');
  if (await databaseExists(target.path)) return work();
  try {
    return await work();
  } finally {
    if (await databaseExists(target.path)) note(`Created database ${target.path}`);
  }
}
