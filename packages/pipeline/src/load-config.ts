import { readFile, access } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ConfigError, parseConfig, resolveTarget, type FunnelcastConfig } from '@funnelcast/core';

/** File names looked for in the working directory when no config path is given, in order. */
export const DEFAULT_CONFIG_FILES = ['funnelcast.config.yaml', 'funnelcast.config.yml', 'funnelcast.config.json'];

/** A validated configuration and where it came from (a path, or `defaults`). */
export interface LoadedConfig {
  readonly config: FunnelcastConfig;
  readonly origin: string;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/**
 * Reads a JSON or YAML configuration file and validates it. Without a path, uses the first of
 * {@link DEFAULT_CONFIG_FILES} in `cwd`, or the defaults when there is none.
 * @throws ConfigError when the file is missing, unparseable or invalid (every problem listed).
 */
export async function loadConfigFile(path?: string, cwd: string = process.cwd()): Promise<LoadedConfig> {
  let file = path ? resolve(cwd, path) : undefined;
  if (!file) {
    for (const name of DEFAULT_CONFIG_FILES) {
      if (await exists(resolve(cwd, name))) {
        file = resolve(cwd, name);
        break;
      }
    }
  }
  if (!file) return { config: parseConfig({}, 'defaults'), origin: 'defaults' };
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new ConfigError([{ where: file, message: 'cannot read the config file (does it exist?)' }]);
  }
  let raw: unknown;
  try {
    // YAML is a superset of JSON, but JSON files get JSON's clearer error messages.
    raw = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new ConfigError([{ where: file, message: `not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}: ${(error as Error).message}` }]);
  }
  return { config: parseConfig(raw, file), origin: file };
}

/** The config with the DuckDB path of `target` replaced (the CLI's `--db`). */
export function withDatabasePath(config: FunnelcastConfig, target: string, path: string): FunnelcastConfig {
  const { target: current } = resolveTarget(config, target);
  if (current.type !== 'duckdb') {
    throw new ConfigError([
      { where: '--db', message: `target ${JSON.stringify(target)} is a ${current.type} target; --db only applies to a duckdb target` },
    ]);
  }
  return { ...config, targets: { ...config.targets, [target]: { ...current, path } } };
}
