import type { FunnelcastConfig } from '@funnelcast/core';

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
