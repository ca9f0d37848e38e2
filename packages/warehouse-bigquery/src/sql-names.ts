import { ConfigError, IDENTIFIER } from '@funnelcast/core';

/**
 * Identifiers go into BigQuery SQL only through these helpers: every part is checked against a strict pattern and
 * the whole path is backquoted, so a name can never close the quote or smuggle in SQL. Values never go into SQL
 * text at all — they travel as query parameters.
 */

// BigQuery project ids: lowercase letters, digits and hyphens; legacy domain-scoped ids add `domain.com:`.
const PROJECT = /^(?:[a-z][a-z0-9.-]*:)?[a-z][a-z0-9-]{4,29}$/;

/** `project.dataset.table` as a backquoted BigQuery path, after checking each part. */
export function tablePath(projectId: string, dataset: string, table: string): string {
  const problems = [
    ...(PROJECT.test(projectId) ? [] : [{ where: 'projectId', message: `${JSON.stringify(projectId)} is not a BigQuery project id` }]),
    ...[dataset, table]
      .filter((part) => !IDENTIFIER.test(part))
      .map((part) => ({ where: 'identifier', message: `${JSON.stringify(part)} must be letters, digits and underscores` })),
  ];
  if (problems.length) throw new ConfigError(problems, 'Invalid BigQuery name:');
  return `\`${projectId}.${dataset}.${table}\``;
}

/**
 * A table named in the config as `table`, `dataset.table` or `project.dataset.table`, completed with the target's
 * project and dataset and backquoted.
 * @throws ConfigError naming the config key when a part is not a valid name.
 */
export function configuredTablePath(name: string, projectId: string, dataset: string, where: string): string {
  const parts = name.split('.');
  const [project, data, table] =
    parts.length === 3 ? parts : parts.length === 2 ? [projectId, ...parts] : parts.length === 1 ? [projectId, dataset, ...parts] : [];
  if (project === undefined || data === undefined || table === undefined) {
    throw new ConfigError([{ where, message: `${JSON.stringify(name)} must be table, dataset.table or project.dataset.table` }]);
  }
  try {
    return tablePath(project, data, table);
  } catch (error) {
    if (error instanceof ConfigError) throw new ConfigError(error.problems.map((p) => ({ ...p, where })));
    throw error;
  }
}

/** A column name, backquoted after the same check. */
export function columnName(name: string): string {
  if (!IDENTIFIER.test(name)) throw new ConfigError([{ where: 'column', message: `${JSON.stringify(name)} is not a valid column name` }]);
  return `\`${name}\``;
}

/** Declared columns as a select or insert list, each backquoted, optionally qualified (`r.` gives `r.\`col\``). */
export function columnList(columns: readonly { readonly name: string }[], qualifier = ''): string {
  return columns.map((c) => qualifier + columnName(c.name)).join(', ');
}
