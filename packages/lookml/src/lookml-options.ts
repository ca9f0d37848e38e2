import { ConfigError, IDENTIFIER, PUBLISHED_VIEWS, type Problem } from '@funnelcast/core';

/** Where the generated LookML reads from: the config's `lookml` section, possibly overridden by CLI flags. */
export interface LookmlOptions {
  /** Looker connection name, written to the manifest's `CONNECTION_NAME` constant. */
  readonly connection: string;
  /** BigQuery project of the views; omitted means the connection's default project. */
  readonly project?: string | undefined;
  /** BigQuery dataset of the views, written to the manifest's `DATASET` constant. */
  readonly dataset: string;
  /**
   * BigQuery names of the published views when they differ from the declared ones, keyed by declared name
   * (e.g. `{ vw_production_forecast: 'vw_production_forecast_eu' }`). LookML view names stay the declared ones,
   * so explores, dashboards and the team's refinements keep working.
   * @defaultValue the declared names
   */
  readonly viewNames?: Readonly<Record<string, string>> | undefined;
}

/** A BigQuery project id, as the config schema accepts it. */
export const PROJECT_ID = /^[a-z][a-z0-9-]{4,29}$/;

/**
 * Refuses any name that could break out of the LookML or SQL it lands in. Connection, dataset and view names must
 * be identifiers (letters, digits, underscores); the project must be a BigQuery project id.
 * @throws ConfigError listing every refused key.
 */
export function validateLookmlOptions(options: LookmlOptions): LookmlOptions {
  const problems: Problem[] = [];
  const identifierRule = 'must be letters, digits and underscores, not starting with a digit';
  const check = (where: string, value: unknown, pattern: RegExp, rule: string) => {
    if (typeof value !== 'string' || !pattern.test(value)) problems.push({ where, message: `${JSON.stringify(value)} ${rule}` });
  };
  check('lookml.connection', options.connection, IDENTIFIER, identifierRule);
  check('lookml.dataset', options.dataset, IDENTIFIER, identifierRule);
  if (options.project !== undefined) {
    check('lookml.project', options.project, PROJECT_ID, 'must be a BigQuery project id (6–30 lowercase letters, digits, hyphens)');
  }
  const declared = PUBLISHED_VIEWS.map((view) => view.name);
  for (const [view, name] of Object.entries(options.viewNames ?? {})) {
    if (!declared.includes(view)) {
      problems.push({ where: `lookml.viewNames.${view}`, message: `is not a published view; known: ${declared.join(', ')}` });
    }
    check(`lookml.viewNames.${view}`, name, IDENTIFIER, identifierRule);
  }
  if (problems.length > 0) throw new ConfigError(problems, 'Invalid LookML settings:');
  return options;
}
