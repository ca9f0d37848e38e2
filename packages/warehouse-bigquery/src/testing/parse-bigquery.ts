import pkg from 'node-sql-parser';

const parser = new pkg.Parser();

// node-sql-parser's BigQuery grammar knows neither OPTIONS(description = …), nor scripts' transaction statements,
// nor the IF NOT EXISTS that BigQuery allows in ALTER TABLE … ADD COLUMN.
const DESCRIPTION = /\s*OPTIONS\(description = '(?:[^'\\]|\\.)*'\)/g;
const ADD_COLUMN_IF_NOT_EXISTS = /\bADD COLUMN IF NOT EXISTS\b/g;
const TRANSACTION = /^(BEGIN|COMMIT) TRANSACTION$/;

/** The statements of a script (split at `;` line ends), without BEGIN/COMMIT TRANSACTION. */
export function scriptStatements(sql: string): string[] {
  return sql
    .split(/;\s*\n/)
    .map((s) => s.trim().replace(/;$/, ''))
    .filter((s) => s && !TRANSACTION.test(s));
}

/**
 * Parses a statement with node-sql-parser's BigQuery dialect (after dropping description OPTIONS, checked
 * separately, and ADD COLUMN's IF NOT EXISTS) and returns its AST; throws on invalid SQL.
 */
export function parseBigQuery(sql: string): unknown {
  return parser.astify(sql.replace(DESCRIPTION, '').replace(ADD_COLUMN_IF_NOT_EXISTS, 'ADD COLUMN'), { database: 'bigquery' });
}
